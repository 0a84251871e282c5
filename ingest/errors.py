"""Errors a user can act on, raised by ingest and the index: each message is one sentence
that names the file, folder or server and says what to do."""

from __future__ import annotations


class IngestError(RuntimeError):
    """Base of the errors below: surfaces show the message as it is, never a traceback."""


class IndexBusy(IngestError):
    """Another process is writing the index."""


class IndexUnavailable(IngestError):
    """The vector store cannot be reached (server down, wrong path). `where` is the server's
    address (host:port) or the store's path, `cause` a few words on what failed, so that a
    caller can say the same thing in its own words."""

    def __init__(self, message: str, where: str = "", cause: str = ""):
        super().__init__(message)
        self.where = where
        self.cause = cause


class ModelMissing(IngestError):
    """The embedding model is not where the settings say."""
