"""The web chat (Gradio Blocks): cited answers, a source viewer, filters, documents, compare,
evaluate, export, and the `ask` API endpoint. A surface over `assistant.core.Assistant`.

- `app`: `build_app(assistant)` assembles the tabs; `launch(app, settings)`; `serve(settings)`.
- `components`: what the tabs share: `esc`, `guarded`, `chat_markdown`, `source_html`, the status line.
- one module per tab: `chat` (with `session`: the conversation and what is made of it),
  `documents`, `compare`, `evaluate`; `api` (the `ask` endpoint); `background` (the corpus
  ingest at start-up).
- `assets/`: the stylesheet and the page scripts, read when the app is built.
"""

import os

# Before gradio is imported: no usage analytics or version checks leave the machine.
os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"

from assistant.web.app import build_app, launch, parse_auth, serve
from assistant.web.components import chat_markdown, esc, source_html
from assistant.web.session import (
    ChatSession,
    Turn,
    answer_markdown,
    export_json,
    export_markdown,
    record_feedback,
    viewer_html,
)

__all__ = [
    "ChatSession",
    "Turn",
    "answer_markdown",
    "build_app",
    "chat_markdown",
    "esc",
    "export_json",
    "export_markdown",
    "launch",
    "parse_auth",
    "record_feedback",
    "serve",
    "source_html",
    "viewer_html",
]
