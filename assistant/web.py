"""The web chat (Gradio Blocks): cited answers, a source viewer, filters, documents, export.

A thin surface over `Assistant.ask`: it renders answers and citations, never re-implements
retrieval. Everything that comes from a document or an answer is escaped before it reaches
the page (`html.escape` for gr.HTML; `chat_markdown` for the Chatbot's Markdown), so HTML or
script inside a document is shown as text and never runs.

`build_app(assistant)` makes the Blocks; `launch(app, settings)` serves it; `serve(settings)`
does both, after starting an ingest of the corpus in the background.
"""

from __future__ import annotations

import os

# Before gradio is imported: no usage analytics or version checks leave the machine.
os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"

import html
import inspect
import json
import logging
import re
import shutil
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from datetime import date as Date
from functools import wraps
from pathlib import Path

import gradio as gr

from assistant.core import Assistant, Conversation
from assistant.documents import add_uploads, original_path, remove_document
from assistant.settings import Settings
from assistant.status import document_infos
from assistant.types import Answer, Citation, Filters
from ingest.types import DocType

log = logging.getLogger(__name__)

EXAMPLES = [
    "Which forces audited breach recording?",
    "Which forces appointed a single point of contact for stalking?",
    "What did the Gwent PCC say about Police Information Notices?",
    "Who wrote the Cambridgeshire letter to the Home Secretary, and when?",
]
DOC_TYPES = [t.value for t in DocType]
MAX_K = 50
STREAM_STEPS = 12  # the answer appears in this many growing pieces
STREAM_DELAY_S = 0.02
CANCELLED = "__cancelled__"

THEME = gr.themes.Default(font=["system-ui", "sans-serif"], font_mono=["ui-monospace", "monospace"])

CSS = """
#status-line { font-size: .9em; opacity: .85; }
.cite-cards { display: flex; flex-direction: column; gap: .5em; }
.cite-card { border: 1px solid var(--border-color-primary); border-radius: 8px; padding: .5em .75em;
  cursor: pointer; background: var(--background-fill-secondary); }
.cite-card:hover, .cite-card:focus { border-color: var(--color-accent); outline: none; }
.cite-card.active { border-color: var(--color-accent); box-shadow: 0 0 0 1px var(--color-accent); }
.cite-n { display: inline-block; min-width: 1.6em; text-align: center; border-radius: 4px; margin-right: .4em;
  background: var(--color-accent); color: white; font-weight: 600; }
.cite-meta { font-size: .85em; opacity: .8; margin: .2em 0; }
.cite-quote { margin: .3em 0 0; padding-left: .6em; border-left: 3px solid var(--border-color-accent);
  font-style: italic; white-space: pre-wrap; }
.cite-empty, .viewer-empty { opacity: .7; font-style: italic; }
.viewer-meta dl { display: grid; grid-template-columns: max-content 1fr; gap: .1em .8em; margin: .3em 0;
  font-size: .9em; }
.viewer-meta dt { font-weight: 600; }
.viewer-meta dd { margin: 0; }
.viewer-pos { font-size: .85em; opacity: .8; margin: .3em 0; }
.doc-text { white-space: pre-wrap; word-wrap: break-word; max-height: 60vh; overflow-y: auto; font-size: .85em;
  border: 1px solid var(--border-color-primary); border-radius: 6px; padding: .6em; margin: 0;
  font-family: var(--font-mono); background: var(--background-fill-secondary); }
.doc-text mark { background: #ffe066; color: black; padding: 0 1px; }
.page-break { display: block; text-align: center; opacity: .6; margin: .4em 0; }
.upload-results li.failed { color: var(--error-text-color, #b91c1c); }
"""

# Citation cards: a click on a card, or on a marker link in the chat ([n] -> #cite-TURN-N),
# tells Python which citation to open. One document-level listener (capture phase, so the
# chatbot's own link handling never navigates) serves every marker of every turn.
CARDS_JS = """
const openCite = (turn, n) => trigger('click', {turn: Number(turn), n: Number(n)});
window.__openCite = openCite;  // the latest mount's trigger, for the marker listener below
element.addEventListener('click', (e) => {
  const card = e.target.closest('[data-cite-n]');
  if (card) openCite(card.dataset.citeTurn, card.dataset.citeN);
});
element.addEventListener('keydown', (e) => {
  const card = e.target.closest('[data-cite-n]');
  if (card && (e.key === 'Enter' || e.key === ' ')) {
    e.preventDefault();
    openCite(card.dataset.citeTurn, card.dataset.citeN);
  }
});
if (!window.__citeMarkers) {
  window.__citeMarkers = true;
  document.addEventListener('click', (e) => {
    const a = e.target.closest && e.target.closest('a[href^="#cite-"]');
    if (!a) return;
    const m = a.getAttribute('href').match(/^#cite-(\\d+)-(\\d+)$/);
    if (!m) return;
    e.preventDefault(); e.stopPropagation();
    window.__openCite(m[1], m[2]);
  }, true);
}
"""

VIEWER_JS = """
const show = () => {
  const m = element.querySelector('mark');
  if (m) m.scrollIntoView({block: 'center', behavior: 'instant'});
};
watch('value', show);
show();
"""


# ---- per-browser-session state ------------------------------------------------------------
@dataclass
class Turn:
    answer: Answer
    filters: Filters


@dataclass
class ChatSession:
    """One browser tab's conversation: follow-up state, answers, and what the viewer shows."""

    conversation: Conversation = field(default_factory=Conversation)
    turns: list[Turn] = field(default_factory=list)
    viewing: tuple[int, int] | None = None  # (turn index, citation index) in the viewer
    session_id: str = field(default_factory=lambda: uuid.uuid4().hex)


# ---- errors -------------------------------------------------------------------------------
def _esc(text: object) -> str:
    """Escape for HTML (Gradio toasts render their message as HTML too)."""
    return html.escape(str(text), quote=False)


def _user_error(exc: Exception) -> gr.Error:
    from ingest.embed import ModelMissing
    from ingest.store import IndexBusy, IndexUnavailable

    if isinstance(exc, (IndexBusy, IndexUnavailable, ModelMissing)):
        return gr.Error(_esc(exc))
    log.exception("web request failed")
    return gr.Error(f"Something went wrong ({type(exc).__name__}); the details are in the server log.")


def guarded(fn: Callable) -> Callable:
    """Turn unexpected exceptions in a handler into one sentence for the user (trace to the log)."""
    if inspect.isgeneratorfunction(fn):

        @wraps(fn)
        def generator(*args, **kwargs):
            try:
                yield from fn(*args, **kwargs)
            except gr.Error:
                raise
            except Exception as exc:
                raise _user_error(exc) from None

        return generator

    @wraps(fn)
    def plain(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except gr.Error:
            raise
        except Exception as exc:
            raise _user_error(exc) from None

    return plain


# ---- input checking ------------------------------------------------------------------------
def parse_date(value: object, label: str) -> Date | None:
    """A date from a date picker or text ("2019-05-14", "2019-05-14 00:00:00"); gr.Error if not one."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, (int, float)):
        return datetime.fromtimestamp(value, tz=UTC).date()
    if isinstance(value, str):
        try:
            return Date.fromisoformat(value.strip()[:10])
        except ValueError:
            pass
    raise gr.Error(f"The {label} date must look like 2019-05-14.")


def parse_filters(
    forces: Sequence[str] | str | None,
    doc_types: Sequence[str] | str | None,
    since: object = None,
    until: object = None,
) -> Filters:
    """Filters from user input, with canonical force names; gr.Error names what is wrong."""
    from ingest.forces import normalise_force

    if isinstance(forces, str):
        forces = [forces]
    if isinstance(doc_types, str):
        doc_types = [doc_types]
    canonical = []
    for name in forces or []:
        if not isinstance(name, str) or normalise_force(name) is None:
            raise gr.Error(f"Unknown force {_esc(repr(name))}: use a name such as 'Gwent' or 'Devon and Cornwall'.")
        canonical.append(normalise_force(name))
    for kind in doc_types or []:
        if kind not in DOC_TYPES:
            raise gr.Error(f"Unknown document type {_esc(repr(kind))}: use one of {', '.join(DOC_TYPES)}.")
    start, end = parse_date(since, "'since'"), parse_date(until, "'until'")
    if start and end and start > end:
        raise gr.Error("The 'since' date is after the 'until' date.")
    return Filters(forces=list(dict.fromkeys(canonical)), doc_types=list(doc_types or []), since=start, until=end)


# ---- rendering (pure functions: text in, escaped HTML / Markdown out) ------------------------
_MARKER = re.compile(r"\\\[(\d+)\\\]")


def chat_markdown(text: str, turn: int | None = None, numbers: set[int] | None = None) -> str:
    """Markdown for the Chatbot in which nothing from `text` can become HTML, a link or an image.

    `<`, `>` and `&` become entities, and every `[`/`]` is backslash-escaped so that document
    text cannot form a Markdown link or image; then the answer's own citation markers `[n]`
    become links to `#cite-TURN-N`, which the page's click handler opens in the viewer.
    """
    safe = html.escape(text, quote=False).replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")
    if turn is None:
        return safe
    return _MARKER.sub(
        lambda m: f"[\\[{m[1]}\\]](#cite-{turn}-{m[1]})" if numbers is None or int(m[1]) in numbers else m[0], safe
    )


def answer_markdown(turn_index: int, turn: Turn) -> str:
    answer = turn.answer
    body = chat_markdown(answer.answer, turn_index, {c.n for c in answer.citations})
    if not turn.filters.is_empty():
        body += f"\n\n*Filters on: {chat_markdown(turn.filters.describe())}*"
    return body


def history(session: ChatSession) -> list[dict]:
    """The Chatbot's messages for every turn of the session."""
    messages: list[dict] = []
    for i, turn in enumerate(session.turns):
        messages.append({"role": "user", "content": chat_markdown(turn.answer.question)})
        messages.append({"role": "assistant", "content": answer_markdown(i, turn)})
    return messages


def _meta_line(assistant: Assistant, citation: Citation) -> str:
    doc = assistant.index.document(citation.doc_id)
    role = doc.meta.author_role.value if doc and doc.meta.author_role else None
    parts = [role, citation.date or "undated", f"page {citation.page}"]
    return " · ".join(p for p in parts if p)


def cards_html(assistant: Assistant, session: ChatSession) -> str:
    """Cards for the citations of the latest answer, numbered like its markers.

    The wrapper's `data-turns` (answers so far) lets a page script or test see the update land.
    """
    return f'<div class="cite-wrap" data-turns="{len(session.turns)}">{_cards(assistant, session)}</div>'


def _cards(assistant: Assistant, session: ChatSession) -> str:
    if not session.turns:
        return '<p class="cite-empty">Sources of the answer appear here; click one to read it in its document.</p>'
    turn_index = len(session.turns) - 1
    answer = session.turns[-1].answer
    if not answer.citations:
        why = "it abstained" if answer.abstained else "it quotes no document"
        return f'<p class="cite-empty">No sources for the latest answer: {why}.</p>'
    active = session.viewing
    cards = []
    for i, c in enumerate(answer.citations):
        is_active = " active" if active == (turn_index, i) else ""
        cards.append(
            f'<div class="cite-card{is_active}" role="button" tabindex="0" data-cite-turn="{turn_index}" '
            f'data-cite-n="{c.n}" title="Open in the source viewer">'
            f'<div><span class="cite-n">{c.n}</span><b>{_esc(c.force or "Unknown force")}</b> · {_esc(c.title)}</div>'
            f'<div class="cite-meta">{_esc(_meta_line(assistant, c))}</div>'
            f'<blockquote class="cite-quote">{_esc(c.quote)}</blockquote></div>'
        )
    return f'<div class="cite-cards">{"".join(cards)}</div>'


def _text_with_pages(text: str, first_page: int) -> tuple[str, int]:
    """Escaped text with each page break (form feed) shown as a labelled divider."""
    parts = text.split("\f")
    out = [_esc(parts[0])]
    page = first_page
    for part in parts[1:]:
        page += 1
        out.append(f'<span class="page-break">— page {page} —</span>{_esc(part)}')
    return "".join(out), page


def viewer_html(assistant: Assistant, session: ChatSession) -> str:
    """The source viewer for the citation the session is looking at."""
    if session.viewing is None:
        return (
            '<p class="viewer-empty">Click a source card or a marker such as [1] to read the passage in its '
            "document.</p>"
        )
    turn_index, i = session.viewing
    citations = session.turns[turn_index].answer.citations
    c = citations[i]
    return source_html(assistant, c, f"Source [{c.n}] — {i + 1} of {len(citations)} in answer {turn_index + 1}")


def source_html(assistant: Assistant, c: Citation, position: str = "") -> str:
    """A cited document's metadata and whole text, the quoted span in <mark>, all escaped.

    Any tab that shows citations (e.g. a Compare grid) can put this in a gr.HTML with VIEWER_JS.
    """
    doc = assistant.index.document(c.doc_id)
    if doc is None:
        return (
            f'<p class="viewer-empty">{_esc(c.title)} is no longer in the index (it was removed after this '
            f'answer).</p><blockquote class="cite-quote">{_esc(c.quote)}</blockquote>'
        )
    m = doc.meta
    start, end = max(0, min(c.start, len(doc.text))), max(0, min(c.end, len(doc.text)))
    before, page = _text_with_pages(doc.text[:start], 1)
    quoted, page = _text_with_pages(doc.text[start:end], page)
    after, _ = _text_with_pages(doc.text[end:], page)
    author = " ".join(x for x in [m.author_name, f"({m.author_role.value})" if m.author_role else None] if x)
    rows = [
        ("Force", m.force),
        ("Author", author),
        ("Type", m.doc_type.value),
        ("Date", m.date.isoformat() if m.date else None),
        ("Recipient", m.recipient),
        ("Answers report", m.report),
        ("File", doc.source),
        ("Cited", f"page {c.page}, characters {c.start}–{c.end}"),
    ]
    meta = "".join(f"<dt>{_esc(k)}</dt><dd>{_esc(v)}</dd>" for k, v in rows if v)
    return (
        f'<div class="viewer-meta"><h3>{_esc(m.title or doc.source)}</h3><dl>{meta}</dl></div>'
        f'<div class="viewer-pos">{_esc(position)}</div>'
        f'<pre class="doc-text">{before}<mark id="cited-passage">{quoted}</mark>{after}</pre>'
    )


def download_copy(source: str, content_hash: str) -> Path | None:
    """A copy of a document's original file in the temp dir, which Gradio may serve.

    Copying (once per content) keeps the corpus and uploads dirs out of Gradio's allowed paths.
    """
    path = original_path(source)
    if not path.is_file():
        return None
    target = Path(tempfile.gettempdir()) / "assistant-originals" / content_hash[:16] / path.name
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
    return target


# ---- export and feedback --------------------------------------------------------------------
def export_markdown(session: ChatSession, answerer: str) -> str:
    lines = [
        "# Conversation with the police response assistant",
        "",
        f"Exported {datetime.now(UTC):%Y-%m-%d %H:%M UTC}; answerer: {answerer}.",
        "",
    ]
    for i, turn in enumerate(session.turns, 1):
        a = turn.answer
        lines += [f"## {i}. {a.question}", ""]
        if not turn.filters.is_empty():
            lines += [f"*Filters on: {turn.filters.describe()}*", ""]
        lines += [a.answer, ""]
        if a.citations:
            lines += ["**Sources**", ""]
            for c in a.citations:
                when = f", {c.date}" if c.date else ""
                lines.append(
                    f"[{c.n}] {c.force or 'Unknown force'} — {c.title}{when}, page {c.page} "
                    f"({c.source}, characters {c.start}–{c.end})"
                )
                lines.append(f"> {' '.join(c.quote.split())}")
                lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def export_json(session: ChatSession, answerer: str) -> str:
    return json.dumps(
        {
            "exported": datetime.now(UTC).isoformat(timespec="seconds"),
            "answerer": answerer,
            "turns": [
                {"filters": t.filters.model_dump(mode="json"), **t.answer.model_dump(mode="json")}
                for t in session.turns
            ],
        },
        indent=2,
        ensure_ascii=False,
    )


def write_exports(session: ChatSession, answerer: str) -> tuple[Path, Path]:
    directory = Path(tempfile.gettempdir()) / "assistant-exports" / session.session_id
    directory.mkdir(parents=True, exist_ok=True)
    md, js = directory / "conversation.md", directory / "conversation.json"
    md.write_text(export_markdown(session, answerer), encoding="utf-8")
    js.write_text(export_json(session, answerer), encoding="utf-8")
    return md, js


_feedback_lock = threading.Lock()


def record_feedback(settings: Settings, session: ChatSession, rating: str, comment: str, answerer: str) -> Path:
    """Append one JSON line about the latest answer to data_dir/feedback.jsonl; returns the file."""
    turn = session.turns[-1]
    record = {
        "time": datetime.now(UTC).isoformat(timespec="seconds"),
        "rating": rating,
        "comment": comment.strip(),
        "answerer": answerer,
        "filters": turn.filters.model_dump(mode="json"),
        "question": turn.answer.question,
        "answer": turn.answer.answer,
        "abstained": turn.answer.abstained,
        "citations": [c.model_dump(mode="json") for c in turn.answer.citations],
    }
    path = Path(settings.data_dir) / "feedback.jsonl"
    path.parent.mkdir(parents=True, exist_ok=True)
    with _feedback_lock, path.open("a", encoding="utf-8") as f:
        f.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path


# ---- the index in the background ------------------------------------------------------------
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
        from ingest.pipeline import ingest

        settings = self.assistant.settings
        try:
            if Path(settings.corpus_dir).is_dir():
                report = ingest(settings, None, wait=600)
                if report.failed:
                    self.message = f"{len(report.failed)} corpus files could not be read (see `assistant ingest`)."
            if self.assistant.index.stats()["chunks"]:
                self.assistant.retriever.snapshot()  # loads the model and vectors before the first question
                self.assistant.embedder.embed_query("warm up")
        except Exception as exc:
            log.exception("background ingest failed")
            self.message = f"indexing the corpus failed: {exc}"
        finally:
            self.running = False


def status_html(assistant: Assistant, job: BackgroundIngest | None) -> str:
    stats = assistant.index.stats()
    building = job is not None and job.running
    if building and not stats["chunks"]:
        index = "index is building… (reading the corpus; answers are possible when it is done)"
    elif not stats["chunks"]:
        index = "index is empty: upload documents in the Documents tab, or run `assistant ingest`"
    else:
        index = f"{stats['documents']} documents, {stats['chunks']} chunks"
        if building:
            index += " (updating from the corpus…)"
    note = f" · {job.message}" if job is not None and job.message else ""
    return (
        f'<div id="status-line">Answerer: <b id="answerer-name">{_esc(assistant.answerer_name)}</b>'
        f' · Index: <span id="index-status">{_esc(index)}</span>{_esc(note)}</div>'
    )


def document_rows(assistant: Assistant) -> list[list]:
    return [
        [
            d.title,
            d.force or "",
            d.author_name or "",
            d.author_role or "",
            d.doc_type,
            d.date or "",
            d.pages,
            d.chunks,
            d.source,
        ]
        for d in document_infos(assistant.index)
    ]


DOC_HEADERS = ["title", "force", "author", "role", "type", "date", "pages", "chunks", "file"]


def force_choices(assistant: Assistant) -> list[str]:
    return sorted({d.meta.force for d in assistant.index.documents() if d.meta.force})


def document_choices(assistant: Assistant) -> list[tuple[str, str]]:
    return [(f"{d.meta.title or d.source} — {d.source}", d.doc_id) for d in assistant.index.documents()]


# ---- the app --------------------------------------------------------------------------------
@dataclass
class WebContext:
    """What a tab builder gets: the assistant and the shared components it may wire to."""

    assistant: Assistant
    job: BackgroundIngest | None
    forces: gr.Dropdown  # the chat's force filter (its choices are the forces in the index)


TabBuilder = tuple[str, Callable[[WebContext], None]]


def extra_tabs() -> list[TabBuilder]:
    """Tabs added after Chat and Documents.

    The Compare tab (issue 10) and the Evaluate tab (issue 6) plug in here: each is
    (label, build) where `build(ctx)` creates its components inside the open `gr.Tab`. To show
    a cited passage, a tab can put `source_html(ctx.assistant, citation)` in a
    `gr.HTML(js_on_load=VIEWER_JS)` (highlighted and scrolled into view) and offer the file with
    `download_copy`.
    """
    from assistant import web_compare, web_eval

    return [("Compare", web_compare.build), ("Evaluate", web_eval.build)]


def build_app(
    assistant: Assistant,
    job: BackgroundIngest | None = None,
    tabs: Sequence[TabBuilder] | None = None,
    stream_delay: float = STREAM_DELAY_S,
) -> gr.Blocks:
    """The Blocks app; launch it with `launch(app, settings)`."""
    settings = assistant.settings
    tabs = extra_tabs() if tabs is None else tabs

    with gr.Blocks(title="Police response assistant", analytics_enabled=False, fill_width=True) as app:
        session = gr.State(ChatSession())
        with gr.Row(equal_height=True):
            gr.Markdown(
                "## Police response assistant\nAnswers from police and PCC responses to HMICFRS "
                "inspections, with every claim quoted from its source."
            )
            status = gr.HTML(status_html(assistant, job), js_on_load=None)
        building = job is not None and job.running
        timer = gr.Timer(2.0, active=building)

        with gr.Tab("Chat", id="chat"), gr.Row():
            with gr.Column(scale=1, min_width=260):
                gr.Markdown("### Filters")
                forces = gr.Dropdown(
                    choices=force_choices(assistant),
                    multiselect=True,
                    label="Force",
                    elem_id="filter-force",
                    allow_custom_value=False,
                )
                doc_types = gr.Dropdown(
                    choices=DOC_TYPES, multiselect=True, label="Document type", elem_id="filter-doctype"
                )
                since = gr.DateTime(include_time=False, type="string", label="Since", elem_id="filter-since")
                until = gr.DateTime(include_time=False, type="string", label="Until", elem_id="filter-until")
                clear_filters = gr.Button("Clear filters", size="sm")
            with gr.Column(scale=3, min_width=380):
                chatbot = gr.Chatbot(
                    label="Conversation",
                    elem_id="chatbot",
                    height=440,
                    feedback_options=None,
                    buttons=["copy"],
                    sanitize_html=True,
                    allow_tags=False,
                    latex_delimiters=[],
                    placeholder="Ask about the responses to HMICFRS reports.",
                )
                with gr.Row():
                    question = gr.Textbox(
                        placeholder="Ask a question, or a follow-up…",
                        show_label=False,
                        scale=5,
                        elem_id="question",
                        max_lines=4,
                        submit_btn=False,
                        max_length=settings.max_question_chars,
                    )
                    send = gr.Button("Ask", variant="primary", scale=1, elem_id="ask-button")
                gr.Examples(EXAMPLES, inputs=[question], label="Example questions")
                with gr.Row():
                    new_chat = gr.Button("New conversation", size="sm", elem_id="new-conversation")
                    export_md = gr.DownloadButton(
                        "Export Markdown", size="sm", interactive=False, elem_id="export-md"
                    )
                    export_js = gr.DownloadButton(
                        "Export JSON", size="sm", interactive=False, elem_id="export-json"
                    )
                with gr.Row(equal_height=True):
                    comment = gr.Textbox(
                        placeholder="Optional comment on the latest answer",
                        show_label=False,
                        scale=4,
                        elem_id="feedback-comment",
                        max_length=2000,
                    )
                    thumbs_up = gr.Button("Helpful", size="sm", scale=1, min_width=80, elem_id="feedback-up")
                    thumbs_down = gr.Button(
                        "Not helpful", size="sm", scale=1, min_width=80, elem_id="feedback-down"
                    )
                gr.Markdown("### Sources")
                cards = gr.HTML(cards_html(assistant, ChatSession()), js_on_load=CARDS_JS, elem_id="cards")
            with gr.Column(scale=3, min_width=380):
                gr.Markdown("### Source viewer")
                viewer = gr.HTML(viewer_html(assistant, ChatSession()), js_on_load=VIEWER_JS, elem_id="viewer")
                with gr.Row():
                    prev_btn = gr.Button("◀ Previous source", size="sm", interactive=False, elem_id="prev-cite")
                    next_btn = gr.Button("Next source ▶", size="sm", interactive=False, elem_id="next-cite")
                original = gr.DownloadButton(
                    "Download original", size="sm", interactive=False, elem_id="download-original"
                )

        with gr.Tab("Documents", id="documents"):
            docs_table = gr.Dataframe(
                value=document_rows(assistant),
                headers=DOC_HEADERS,
                datatype="str",
                interactive=False,
                wrap=True,
                elem_id="documents-table",
                max_height=420,
                column_widths=["26%", "10%", "10%", "8%", "10%", "8%", "5%", "5%", "18%"],
            )
            with gr.Row():
                with gr.Column():
                    uploads = gr.File(
                        label=f"Add PDF, .txt or .md files (up to {settings.max_upload_mb} MB each)",
                        file_count="multiple",
                        file_types=[".pdf", ".txt", ".md"],
                        type="filepath",
                        elem_id="upload",
                    )
                    upload_result = gr.HTML("", elem_id="upload-result", js_on_load=None)
                with gr.Column():
                    to_delete = gr.Dropdown(
                        choices=document_choices(assistant), label="Remove a document", elem_id="delete-choice"
                    )
                    delete = gr.Button("Remove from index", variant="stop", elem_id="delete-button")
                    delete_result = gr.HTML("", elem_id="delete-result", js_on_load=None)

        ctx = WebContext(assistant=assistant, job=job, forces=forces)
        for label, build in tabs:
            with gr.Tab(label):
                build(ctx)

        # ---- handlers ---------------------------------------------------------------------
        def viewer_updates(s: ChatSession):
            if s.viewing is None:
                return (
                    viewer_html(assistant, s),
                    gr.Button(interactive=False),
                    gr.Button(interactive=False),
                    gr.DownloadButton(value=None, interactive=False, label="Download original"),
                )
            t, i = s.viewing
            n = len(s.turns[t].answer.citations)
            c = s.turns[t].answer.citations[i]
            doc = assistant.index.document(c.doc_id)
            copy = download_copy(doc.source, doc.content_hash) if doc else None
            download = (
                gr.DownloadButton(value=str(copy), interactive=True, label=f"Download {copy.name}")
                if copy
                else gr.DownloadButton(value=None, interactive=False, label="Original file not available")
            )
            return (viewer_html(assistant, s), gr.Button(interactive=i > 0), gr.Button(interactive=i < n - 1), download)

        viewer_outputs = [viewer, prev_btn, next_btn, original]

        @guarded
        def respond(message: str, s: ChatSession, f_forces, f_types, f_since, f_until) -> Iterator:
            s = s or ChatSession()
            text = (message or "").strip()
            if not text:
                gr.Warning("Type a question first.")
                yield (gr.skip(),) * 7
                return
            filters = parse_filters(f_forces, f_types, f_since, f_until)
            if job is not None and job.running and not assistant.index.stats()["chunks"]:
                gr.Warning("The index is still building; ask again in a moment.")
                yield (gr.skip(),) * 7
                return
            shown = history(s) + [
                {"role": "user", "content": chat_markdown(text)},
                {"role": "assistant", "content": "*Searching the documents…*"},
            ]
            yield shown, "", gr.skip(), gr.skip(), gr.skip(), gr.skip(), gr.skip()
            answer = assistant.ask(text, s.conversation, filters.model_copy(deep=True))
            s.turns.append(Turn(answer=answer, filters=filters))
            final = answer_markdown(len(s.turns) - 1, s.turns[-1])
            tokens = re.split(r"(\s+)", final)
            step = max(1, len(tokens) // STREAM_STEPS)
            for end in range(step, len(tokens), step):
                shown[-1] = {"role": "assistant", "content": "".join(tokens[:end])}
                yield shown, gr.skip(), gr.skip(), gr.skip(), gr.skip(), gr.skip(), gr.skip()
                time.sleep(stream_delay)
            md, js = write_exports(s, assistant.answerer_name)
            yield (
                history(s),
                gr.skip(),
                cards_html(assistant, s),
                s,
                gr.DownloadButton(value=str(md), interactive=True),
                gr.DownloadButton(value=str(js), interactive=True),
                status_html(assistant, job),
            )

        chat_inputs = [question, session, forces, doc_types, since, until]
        chat_outputs = [chatbot, question, cards, session, export_md, export_js, status]
        for trigger in (question.submit, send.click):
            trigger(respond, chat_inputs, chat_outputs, api_visibility="undocumented", concurrency_id="chat")

        @guarded
        def open_citation(s: ChatSession, evt: gr.EventData):
            turn, n = int(getattr(evt, "turn", -1)), int(getattr(evt, "n", -1))
            if not (0 <= turn < len(s.turns)):
                raise gr.Error("That source belongs to an earlier conversation.")
            numbers = [c.n for c in s.turns[turn].answer.citations]
            if n not in numbers:
                raise gr.Error(f"The answer has no source [{n}].")
            s.viewing = (turn, numbers.index(n))
            return (s, cards_html(assistant, s), *viewer_updates(s))

        cards.click(open_citation, [session], [session, cards, *viewer_outputs], api_visibility="undocumented")

        def step(delta: int):
            @guarded
            def move(s: ChatSession):
                if s.viewing is None:
                    return (s, gr.skip(), *viewer_updates(s))
                t, i = s.viewing
                s.viewing = (t, max(0, min(len(s.turns[t].answer.citations) - 1, i + delta)))
                return (s, cards_html(assistant, s), *viewer_updates(s))

            return move

        prev_btn.click(step(-1), [session], [session, cards, *viewer_outputs], api_visibility="undocumented")
        next_btn.click(step(+1), [session], [session, cards, *viewer_outputs], api_visibility="undocumented")

        def reset():
            s = ChatSession()
            return (
                s,
                [],
                cards_html(assistant, s),
                "",
                gr.DownloadButton(value=None, interactive=False),
                gr.DownloadButton(value=None, interactive=False),
                *viewer_updates(s),
            )

        reset_outputs = [session, chatbot, cards, question, export_md, export_js, *viewer_outputs]
        new_chat.click(reset, None, reset_outputs, api_visibility="undocumented")
        chatbot.clear(reset, None, reset_outputs, api_visibility="undocumented")  # the chat's own bin icon
        clear_filters.click(
            lambda: ([], [], None, None), None, [forces, doc_types, since, until], api_visibility="undocumented"
        )

        def feedback(rating: str):
            @guarded
            def send_feedback(s: ChatSession, text: str):
                if not s.turns:
                    raise gr.Error("Ask a question first: feedback is about an answer.")
                record_feedback(settings, s, rating, text or "", assistant.answerer_name)
                gr.Info("Thank you: your feedback was recorded.")
                return ""

            return send_feedback

        thumbs_up.click(feedback("up"), [session, comment], [comment], api_visibility="undocumented")
        thumbs_down.click(feedback("down"), [session, comment], [comment], api_visibility="undocumented")

        def refreshed():
            return (
                document_rows(assistant),
                gr.Dropdown(choices=document_choices(assistant), value=None),
                gr.Dropdown(choices=force_choices(assistant)),
                status_html(assistant, job),
            )

        refresh_outputs = [docs_table, to_delete, forces, status]

        @guarded
        def upload(paths: list[str] | None, progress=gr.Progress()):
            if not paths:
                return ("", *refreshed(), None)
            progress(0, desc=f"Reading and indexing {len(paths)} file(s)…")
            batch = add_uploads(settings, [(Path(p), Path(p).name) for p in paths])
            progress(1)
            items = []
            for r in batch.results:
                if r.ok:
                    note = f" ({r.message})" if r.message else ""
                    items.append(
                        f'<li class="ok">✔ {_esc(r.name)}: added{_esc(note)}; ask about it in the Chat tab.</li>'
                    )
                else:
                    items.append(f'<li class="failed">✘ {_esc(r.name)}: {_esc(r.message)}; not added.</li>')
            return (f'<ul class="upload-results">{"".join(items)}</ul>', *refreshed(), None)

        uploads.upload(
            upload,
            [uploads],
            [upload_result, *refresh_outputs, uploads],
            api_visibility="undocumented",
            concurrency_limit=1,
            concurrency_id="index-write",
        )

        @guarded
        def remove(doc_id: str | None):
            if doc_id == CANCELLED:
                return (gr.skip(),) * 5
            if not doc_id:
                raise gr.Error("Choose a document to remove first.")
            try:
                note = remove_document(settings, doc_id)
            except KeyError:
                raise gr.Error("That document is no longer in the index.") from None
            return (f"<p>{_esc(note)}</p>", *refreshed())

        delete.click(
            remove,
            [to_delete],
            [delete_result, *refresh_outputs],
            api_visibility="undocumented",
            concurrency_limit=1,
            concurrency_id="index-write",
            js=f"(doc) => !doc ? null : (window.confirm('Remove this document from the index?') ? doc : '{CANCELLED}')",
        )

        def tick():
            still = job is not None and job.running
            return (*refreshed(), gr.Timer(active=still))

        timer.tick(tick, None, [*refresh_outputs, timer], api_visibility="undocumented", queue=False)
        app.load(tick, None, [*refresh_outputs, timer], api_visibility="undocumented", queue=False)

        # ---- the scripting API: same object as `assistant ask --json` ------------------------
        def ask(
            question: str,
            forces: list[str] | None = None,
            doc_types: list[str] | None = None,
            since: str | None = None,
            until: str | None = None,
            k: int | None = None,
        ) -> dict:
            """Answer one question; returns the `ask --json` object (question, answer, abstained,
            forces, citations, timings_ms). Optional filters: forces, doc_types, since/until (YYYY-MM-DD), k."""
            return api_ask(assistant, question, forces, doc_types, since, until, k)

        gr.api(ask, api_name="ask", concurrency_id="api")
    return app


def api_ask(
    assistant: Assistant, question: object, forces=None, doc_types=None, since=None, until=None, k=None
) -> dict:
    """The `ask` endpoint: validate (gr.Error with a sentence), ask, return Answer.model_dump(mode="json")."""
    if not isinstance(question, str) or not question.strip():
        raise gr.Error("The question is empty: send a question in words.")
    limit = assistant.settings.max_question_chars
    if len(question) > limit:
        raise gr.Error(f"The question is too long ({len(question):,} characters; the limit is {limit:,}).")
    if forces is not None and not isinstance(forces, (list, str)):
        raise gr.Error("`forces` must be a list of force names.")
    if doc_types is not None and not isinstance(doc_types, (list, str)):
        raise gr.Error("`doc_types` must be a list of document types.")
    if k is not None and (isinstance(k, bool) or not isinstance(k, int) or not 1 <= k <= MAX_K):
        raise gr.Error(f"`k` must be a whole number from 1 to {MAX_K}.")
    filters = parse_filters(forces, doc_types, since, until)
    try:
        answer = assistant.ask(question, None, filters, k)
    except Exception as exc:
        raise _user_error(exc) from None
    return answer.model_dump(mode="json")


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
        css=CSS,
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
    import socket

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
