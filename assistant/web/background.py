"""The index in the background: `serve` brings the index in line with the corpus dir in a
thread while the web chat already answers (or says that the index is still building)."""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from assistant.core import Assistant

log = logging.getLogger(__name__)


class BackgroundIngest:
    """Brings the index in line with the corpus dir in a thread, then warms the assistant up.

    An unchanged corpus costs one hash per file, so this runs at every start.
    """

    def __init__(self, assistant: Assistant):
        self.assistant = assistant
        self.running = False
        self.message = ""
        self._thread: threading.Thread | None = None

    def start(self) -> BackgroundIngest:
        self.running = True
        self._thread = threading.Thread(target=self._run, name="corpus-ingest", daemon=True)
        self._thread.start()
        return self

    def join(self, timeout: float | None = None) -> None:
        if self._thread:
            self._thread.join(timeout)

    def _run(self) -> None:
        assistant = self.assistant
        try:
            if Path(assistant.settings.corpus_dir).is_dir():
                report = assistant.ingest(None, wait=600)
                if report.failed:
                    self.message = f"{len(report.failed)} corpus files could not be read (see `assistant ingest`)."
            if assistant.chunk_count():
                assistant.retriever.snapshot()  # loads the model and vectors before the first question
                assistant.embedder.embed_query("warm up")
        except Exception as exc:
            log.exception("background ingest failed")
            self.message = f"indexing the corpus failed: {exc}"
        finally:
            self.running = False
