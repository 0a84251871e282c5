"""Errors a user can act on, raised by ingest and the index: each message is one sentence
that names the file, folder or server and says what to do."""

from __future__ import annotations


class IngestError(RuntimeError):
    """Base of the errors below: surfaces show the message as it is, never a traceback."""


class IndexBusy(IngestError):
    """Another process is writing the index."""


class IndexUnavailable(IngestError):
    """The vector store cannot be reached (server down, wrong path)."""


class ModelMissing(IngestError):
    """The embedding model is not where the settings say."""
