"""Pieces every tab shares: escaping, error handling, filters, the source viewer, the status line.

Everything that comes from a document, an answer or a user is escaped before it reaches the
page: `esc` for gr.HTML (and for gr.Error, whose toast renders HTML), `chat_markdown` for the
Chatbot's Markdown. So HTML or script inside a document is shown as text and never runs.
"""

from __future__ import annotations

import html
import inspect
import logging
import re
import shutil
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import wraps
from pathlib import Path
from typing import Any

import gradio as gr

from assistant.core import USER_ERRORS, Assistant
from assistant.filters import FilterError, parse_filters
from assistant.types import Citation, DocumentInfo, Filters
from assistant.web.background import BackgroundIngest

log = logging.getLogger(__name__)

ASSETS = Path(__file__).with_name("assets")
# The default that tells Gradio a handler reports progress (`progress=PROGRESS`); Gradio passes
# each call a tracker of its own.
PROGRESS = gr.Progress()


def asset(name: str) -> str:
    """The text of assets/NAME (a stylesheet or a page script), read when the app is built."""
    return (ASSETS / name).read_text(encoding="utf-8").strip()


def esc(text: object) -> str:
    """`text` as HTML text: `&`, `<`, `>` and both quotes become entities (safe in attributes too)."""
    return html.escape(str(text), quote=True)


# ---- errors -------------------------------------------------------------------------------
def user_error(exc: Exception) -> gr.Error:
    """One sentence for the user: an error they can act on says what it is; anything else is a
    bug, logged with its trace, and the user is told only that something went wrong."""
    if isinstance(exc, USER_ERRORS):
        return gr.Error(esc(exc))
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
                raise user_error(exc) from None

        return generator

    @wraps(fn)
    def plain(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except gr.Error:
            raise
        except Exception as exc:
            raise user_error(exc) from None

    return plain


def checked_filters(
    forces: Iterable[str] | str | None, doc_types: Iterable[str] | str | None, since: object, until: object
) -> Filters:
    """`assistant.filters.parse_filters`, with its FilterError as a gr.Error (the same sentence)."""
    try:
        return parse_filters(forces, doc_types, since, until)
    except FilterError as exc:
        raise gr.Error(esc(exc)) from None


# ---- Markdown for the Chatbot ---------------------------------------------------------------
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


# ---- the source viewer ----------------------------------------------------------------------
def _text_with_pages(text: str, first_page: int) -> tuple[str, int]:
    """Escaped text with each page break (form feed) shown as a labelled divider."""
    parts = text.split("\f")
    out = [esc(parts[0])]
    page = first_page
    for part in parts[1:]:
        page += 1
        out.append(f'<span class="page-break">— page {page} —</span>{esc(part)}')
    return "".join(out), page


def source_html(assistant: Assistant, c: Citation, position: str = "") -> str:
    """A cited document's metadata and whole text, the quoted span in <mark>, all escaped.

    Any tab that shows citations puts this in a `gr.HTML(js_on_load=asset("viewer.js"))`, which
    scrolls the quoted passage into view.
    """
    doc = assistant.document(c.doc_id)
    if doc is None:
        return (
            f'<p class="viewer-empty">{esc(c.title)} is no longer in the index (it was removed after this '
            f'answer).</p><blockquote class="cite-quote">{esc(c.quote)}</blockquote>'
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
    meta = "".join(f"<dt>{esc(k)}</dt><dd>{esc(v)}</dd>" for k, v in rows if v)
    return (
        f'<div class="viewer-meta"><h3>{esc(m.title or doc.source)}</h3><dl>{meta}</dl></div>'
        f'<div class="viewer-pos">{esc(position)}</div>'
        f'<pre class="doc-text">{before}<mark id="cited-passage">{quoted}</mark>{after}</pre>'
    )


def download_copy(path: Path | None, content_hash: str) -> Path | None:
    """A copy of a document's original file (`Assistant.original_file`) in the temp dir,
    which Gradio may serve.

    Copying (once per content) keeps the corpus and uploads dirs out of Gradio's allowed paths.
    """
    if path is None:
        return None
    target = Path(tempfile.gettempdir()) / "assistant-originals" / content_hash[:16] / path.name
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
    return target


# ---- the index: forces for filters, the status line ---------------------------------------
def force_choices(docs: Iterable[DocumentInfo]) -> list[str]:
    """The forces of the indexed documents (`Assistant.documents()`), for a force filter."""
    return sorted({d.force for d in docs if d.force})


def status_html(assistant: Assistant, job: BackgroundIngest | None, docs: list[DocumentInfo] | None = None) -> str:
    """Which answerer answers, and what the index holds (or that it is still building).
    `docs`: `assistant.documents()` when the caller has them already."""
    docs = assistant.documents() if docs is None else docs
    chunks = sum(d.chunks for d in docs)
    building = job is not None and job.running
    if building and not chunks:
        index = "index is building… (reading the corpus; answers are possible when it is done)"
    elif not chunks:
        index = "index is empty: upload documents in the Documents tab, or run `assistant ingest`"
    else:
        index = f"{len(docs)} documents, {chunks} chunks"
        if building:
            index += " (updating from the corpus…)"
    note = f" · {job.message}" if job is not None and job.message else ""
    return (
        f'<div id="status-line">Answerer: <b id="answerer-name">{esc(assistant.answerer_name)}</b>'
        f' · Index: <span id="index-status">{esc(index)}</span>{esc(note)}</div>'
    )


# ---- what a tab builder gets ----------------------------------------------------------------
@dataclass
class WebContext:
    """The assistant, the background ingest, and the shared components a tab may wire to."""

    assistant: Assistant
    job: BackgroundIngest | None
    forces: gr.Dropdown  # the chat's force filter (its choices are the forces in the index)
    status: gr.HTML  # the status line above the tabs


TabBuilder = tuple[str, Callable[[WebContext], Any]]
