"""The web app: `build_app(assistant)` assembles the tabs into one Blocks; `launch(app, settings)`
serves it; `serve(settings)` does both, after starting an ingest of the corpus in the background.
"""

from __future__ import annotations

import socket
from collections.abc import Sequence

import gradio as gr

from assistant.core import Assistant
from assistant.settings import Settings
from assistant.web.api import add_ask_endpoint
from assistant.web.background import BackgroundIngest
from assistant.web.chat import STREAM_DELAY_S, ChatTab
from assistant.web.compare import build as compare_tab
from assistant.web.components import TabBuilder, WebContext, asset, status_html
from assistant.web.documents import DocumentsTab
from assistant.web.evaluate import build as evaluate_tab

THEME = gr.themes.Default(font=["system-ui", "sans-serif"], font_mono=["ui-monospace", "monospace"])

# Tabs after Chat and Documents: (label, build), where `build(ctx)` creates the tab's components
# and events inside the open gr.Tab. To show a cited passage, a tab puts
# `components.source_html(ctx.assistant, citation)` in a `gr.HTML(js_on_load=asset("viewer.js"))`
# and offers the file with `components.download_copy`.
EXTRA_TABS: list[TabBuilder] = [("Compare", compare_tab), ("Evaluate", evaluate_tab)]


def build_app(
    assistant: Assistant,
    job: BackgroundIngest | None = None,
    tabs: Sequence[TabBuilder] | None = None,
    stream_delay: float = STREAM_DELAY_S,
) -> gr.Blocks:
    """The Blocks app (Chat, Documents, then `tabs`, default EXTRA_TABS); launch it with `launch`."""
    with gr.Blocks(title="Police response assistant", analytics_enabled=False, fill_width=True) as app:
        with gr.Row(equal_height=True):
            gr.Markdown(
                "## Police response assistant\nAnswers from police and PCC responses to HMICFRS "
                "inspections, with every claim quoted from its source."
            )
            status = gr.HTML(status_html(assistant, job), js_on_load=None)
        timer = gr.Timer(2.0, active=job is not None and job.running)

        chat = ChatTab(assistant, job, status, stream_delay)
        with gr.Tab("Chat", id="chat"):
            chat.build()
        documents = DocumentsTab(assistant, job, chat.forces, status)
        with gr.Tab("Documents", id="documents"):
            documents.build()
        ctx = WebContext(assistant=assistant, job=job, forces=chat.forces, status=status)
        for label, build in EXTRA_TABS if tabs is None else tabs:
            with gr.Tab(label):
                build(ctx)

        chat.wire()
        documents.wire()
        refreshed = [*documents.refresh_outputs, timer]
        timer.tick(documents.tick, None, refreshed, api_visibility="undocumented", queue=False)
        app.load(documents.tick, None, refreshed, api_visibility="undocumented", queue=False)
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

    With `block=False` it returns once the server listens (for tests); `app.close()` stops it.
    """
    app.queue(default_concurrency_limit=concurrency, max_size=512)
    return app.launch(
        server_name=settings.host,
        server_port=port or settings.port,
        auth=parse_auth(settings.auth),
        auth_message="Sign in to the police response assistant." if settings.auth else None,
        theme=THEME,
        css=asset("app.css"),
        max_file_size=f"{settings.max_upload_mb}mb",
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
