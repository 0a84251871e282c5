"""The web chat (Gradio Blocks): cited answers with the reading of each question, a source
viewer, filters, past conversations, documents, compare, evaluate, export, and the `ask` API
endpoint. A surface over `assistant.core.Assistant`.

- `app`: `build_app(assistant)` assembles the tabs; `launch(app, settings)`; `serve(settings)`.
- `components`: what the tabs share: `esc`, `guarded`, field errors, `source_html` (the
  viewer), exports under the index dir, the status line.
- one module per tab: `chat` (with `session`: the conversation and what is made of it, and
  `streaming`: a language model's draft while it writes), `documents`, `compare`, `evaluate`;
  `api` (the `ask` endpoint); `background` (the corpus ingest at start-up); `login` (backoff
  after failed sign-ins).
- `assets/`: the stylesheet and the page scripts, read when the app is built.
"""

import os

# Before gradio is imported: no usage analytics or version checks leave the machine.
os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"
# Gradio rebuilds a summary of its last 10,000 events after every event for a monitoring page
# this app does not open: 16-19% of the server's time under load (py-spy). Rebuild it never.
os.environ.setdefault("GRADIO_ANALYTICS_CACHE_FREQUENCY", "1000000000")

from assistant.web.app import build_app, launch, parse_auth, serve
from assistant.web.components import chat_markdown, esc, source_html
from assistant.web.session import (
    ChatSession,
    RestoreError,
    Turn,
    answer_html,
    conversation_html,
    export_json,
    export_markdown,
    reading_html,
    record_feedback,
    restore_session,
    save_record,
    viewer_html,
)

__all__ = [
    "ChatSession",
    "RestoreError",
    "Turn",
    "answer_html",
    "build_app",
    "chat_markdown",
    "conversation_html",
    "esc",
    "export_json",
    "export_markdown",
    "launch",
    "parse_auth",
    "reading_html",
    "record_feedback",
    "restore_session",
    "save_record",
    "serve",
    "source_html",
    "viewer_html",
]
