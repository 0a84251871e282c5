"""The web app: `build_app(assistant)` assembles the tabs into one Blocks; `launch(app, settings)`
serves it; `serve(settings)` does both, after starting an ingest of the corpus in the background.
"""

from __future__ import annotations

import socket
from collections.abc import Sequence
from typing import Any

import gradio as gr
from starlette.middleware import Middleware

from assistant.core import Assistant
from assistant.settings import Settings
from assistant.web.api import add_ask_endpoint
from assistant.web.background import BackgroundIngest
from assistant.web.chat import ChatTab
from assistant.web.compare import build as compare_tab
from assistant.web.components import TabBuilder, WebContext, asset, exports_root, status_html
from assistant.web.documents import DocumentsTab
from assistant.web.evaluate import build as evaluate_tab
from assistant.web.login import LoginBackoff

# Colours chosen for contrast (WCAG AA): white on blue-700 for primary buttons, grey-600 for
# secondary text and placeholders.
THEME = gr.themes.Default(
    primary_hue="blue", font=["system-ui", "sans-serif"], font_mono=["ui-monospace", "monospace"]
).set(
    button_primary_background_fill="*primary_700",
    button_primary_background_fill_hover="*primary_800",
    button_primary_text_color="white",
    button_cancel_background_fill="#b91c1c",
    button_cancel_text_color="white",
    body_text_color_subdued="*neutral_600",
    input_placeholder_color="*neutral_600",
    block_info_text_color="*neutral_600",
)

# Tabs after Chat and Documents: (label, build), where `build(ctx)` creates the tab's components
# and events inside the open gr.Tab. To show a cited passage, a tab puts
# `components.source_html(ctx.assistant, citation)` in a `gr.HTML(js_on_load=asset("viewer.js"))`
# and offers the file with `components.download_copy`.
EXTRA_TABS: list[TabBuilder] = [("Compare", compare_tab), ("Evaluate", evaluate_tab)]
# Gradio's own copies of files (uploads, downloads offered): checked hourly, removed after a day.
DELETE_CACHE = (3600, 86400)


def build_app(
    assistant: Assistant,
    job: BackgroundIngest | None = None,
    tabs: Sequence[TabBuilder] | None = None,
) -> gr.Blocks:
    """The Blocks app (Chat, Documents, then `tabs`, default EXTRA_TABS); launch it with `launch`."""
    with gr.Blocks(
        title="Police response assistant", analytics_enabled=False, fill_width=True, delete_cache=DELETE_CACHE
    ) as app:
        with gr.Row(elem_id="app-header", equal_height=True):
            gr.HTML(
                "<h1>Police response assistant</h1><p class='tagline'>Answers from police and PCC responses to "
                "HMICFRS inspections, every claim quoted from its source.</p>",
                elem_id="app-title",
                js_on_load=None,
            )
            status = gr.HTML(status_html(assistant, job), js_on_load=None, elem_id="status")
        timer = gr.Timer(2.0, active=job is not None and job.running)

        with gr.Tabs(elem_id="tabs"):
            chat = ChatTab(assistant, job, status)
            with gr.Tab("Chat", id="chat"):
                chat.build()
            documents = DocumentsTab(assistant, job, chat.forces, status)
            with gr.Tab("Documents", id="documents"):
                documents.build()
            ctx = WebContext(assistant=assistant, job=job, forces=chat.forces, status=status)
            for label, build in EXTRA_TABS if tabs is None else tabs:
                with gr.Tab(label, id=label.lower()):
                    build(ctx)

        chat.wire()
        documents.wire()
        refreshed = [*documents.refresh_outputs, timer]
        quiet: dict[str, Any] = {"api_visibility": "undocumented", "queue": False, "show_progress": "hidden"}
        timer.tick(documents.tick, None, refreshed, **quiet)
        app.load(documents.tick, None, refreshed, **quiet)
        add_ask_endpoint(assistant)  # the scripting API: same object as `assistant ask --json`
    return app


# ---- serving --------------------------------------------------------------------------------
def parse_auth(auth: str | None) -> tuple[str, str] | None:
    if not auth:
        return None
    user, sep, password = auth.partition(":")
    if not sep or not user or not password:
        raise ValueError("ASSISTANT_AUTH must look like user:password")
    return user, password


def launch(
    app: gr.Blocks,
    settings: Settings,
    *,
    port: int | None = None,
    block: bool = True,
    concurrency: int = 8,
    quiet: bool = False,
):
    """Serve `app` on settings.host:port with a queue (`concurrency` requests per event at once).

    Sign-in (when settings.auth is set) has a per-client backoff (`web.login`). With
    `block=False` it returns once the server listens (for tests); `app.close()` stops it.
    """
    app.queue(default_concurrency_limit=concurrency, max_size=512)
    exports = exports_root(settings)
    exports.mkdir(parents=True, exist_ok=True)
    return app.launch(
        server_name=settings.host,
        server_port=port or settings.port,
        auth=parse_auth(settings.auth),
        auth_message="Sign in to the police response assistant." if settings.auth else None,
        theme=THEME,
        css=asset("app.css"),
        max_file_size=f"{settings.max_upload_mb}mb",
        allowed_paths=[str(exports)],
        app_kwargs={"middleware": [Middleware(LoginBackoff)]},
        prevent_thread_lock=not block,
        share=False,
        ssr_mode=False,
        mcp_server=False,
        pwa=False,
        enable_monitoring=False,
        run_history=False,
        footer_links=["api"],
        show_error=False,
        quiet=quiet,
        inbrowser=False,
    )


def _check_port_free(host: str, port: int) -> None:
    """Raise OSError before any work starts when host:port cannot be listened on."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            raise OSError(f"the address is in use or not available: {exc.strerror or exc}") from None


def serve(settings: Settings) -> None:
    """Start indexing the corpus in the background and serve the web chat (blocks until stopped)."""
    _check_port_free(settings.host, settings.port)
    assistant = Assistant(settings)
    job = BackgroundIngest(assistant).start()
    app = build_app(assistant, job)
    print(f"Serving the assistant on http://{settings.host}:{settings.port} (Ctrl+C to stop)", flush=True)
    launch(app, settings)
