"""Pieces every tab shares: escaping, errors (one sentence, beside the field they concern),
filters, the source viewer, files offered for download, the status line.

Everything that comes from a document, an answer or a user is escaped before it reaches the
page (`esc`), so HTML or script inside a document is shown as text and never runs. No server
path reaches the page: documents are named by title and file name (`file_name`).
"""

from __future__ import annotations

import html
import inspect
import logging
import re
import shutil
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import wraps
from pathlib import Path
from typing import Any

import gradio as gr
import numpy as np

from assistant.core import USER_ERRORS, Assistant
from assistant.filters import FilterError, parse_date, parse_filters
from assistant.settings import Settings
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


def file_name(source: str) -> str:
    """A document's file name without its directory (never a server path on the page)."""
    return re.split(r"[\\/]", source)[-1] or source


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


# ---- Markdown for Gradio's Markdown components ----------------------------------------------
_MARKER = re.compile(r"\\\[(\d+)\\\]")


def chat_markdown(text: str, turn: int | None = None, numbers: set[int] | None = None) -> str:
    """Markdown in which nothing from `text` can become HTML, a link or an image.

    `<`, `>` and `&` become entities, and every `[`/`]` is backslash-escaped so that document
    text cannot form a Markdown link or image; then, with `turn`, the answer's own citation
    markers `[n]` (those in `numbers`) become links to `#cite-TURN-N`.
    """
    safe = html.escape(text, quote=False).replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")
    if turn is None:
        return safe
    return _MARKER.sub(
        lambda m: f"[\\[{m[1]}\\]](#cite-{turn}-{m[1]})" if numbers is None or int(m[1]) in numbers else m[0], safe
    )


FILTER_FIELDS = ("force", "doc_type", "since", "until")


def panel_filters(forces: object, doc_types: object, since: object, until: object) -> tuple[Filters | None, dict]:
    """The filter panel's values as Filters, or None and {field: sentence} for every field
    that is wrong (each shown beside its field; both dates are checked, not just the first)."""
    problems: dict[str, str] = {}
    for field, value, end in (("since", since, False), ("until", until, True)):
        try:
            parse_date(value, field, end=end)
        except FilterError as exc:
            problems[field] = str(exc)
    if problems:
        return None, problems
    try:
        return parse_filters(forces, doc_types, since, until), {}  # type: ignore[arg-type]
    except FilterError as exc:
        return None, {exc.field: str(exc)}


def field_note(field: str, value: object, problem: str | None) -> str:
    """What shows under a date field: its problem (an alert), or how a natural date was read."""
    if problem:
        return f'<p class="field-error" role="alert" data-field="{esc(field)}">{esc(problem)}</p>'
    text = str(value or "").strip()
    if not text:
        return '<p class="field-note" aria-live="polite"></p>'
    try:
        day = parse_date(text, field, end=field == "until")
    except FilterError as exc:
        return f'<p class="field-error" role="alert" data-field="{esc(field)}">{esc(exc)}</p>'
    shown = day.isoformat() if day else ""
    read = "" if shown == text else f"read as {shown}"
    return f'<p class="field-note" aria-live="polite">{esc(read)}</p>'


# ---- the source viewer ----------------------------------------------------------------------
_readable_cache: OrderedDict[tuple[str, str], tuple[str, np.ndarray]] = OrderedDict()
_readable_lock = threading.Lock()
READABLE_CACHE = 16
WINDOW_CHARS = 60_000  # a longer document is shown around the quote (the original has it all)


def readable(assistant: Assistant, doc_id: str, content_hash: str) -> tuple[str, np.ndarray] | None:
    """`Assistant.readable_text`, cached per document content."""
    key = (doc_id, content_hash)
    with _readable_lock:
        if key in _readable_cache:
            _readable_cache.move_to_end(key)
            return _readable_cache[key]
    found = assistant.readable_text(doc_id)
    if found is None:
        return None
    with _readable_lock:
        _readable_cache[key] = found
        while len(_readable_cache) > READABLE_CACHE:
            _readable_cache.popitem(last=False)
    return found


def _norm(text: str) -> str:
    return " ".join(text.split())


def _span(text: str, offsets: np.ndarray, c: Citation) -> tuple[str, int, int]:
    """The readable text and the part of it the citation covers. When cleaning removed the
    quoted words (a letterhead line, say), the quote is put back where it stood."""
    start = int(np.searchsorted(offsets, c.start, "left"))
    end = int(np.searchsorted(offsets, c.end, "left"))
    if end > start and len(_norm(text[start:end])) * 2 >= len(_norm(c.quote)):
        return text, start, end
    quote = " ".join(c.quote.split())
    return text[:start] + "\n\n" + quote + "\n\n" + text[start:], start + 2, start + 2 + len(quote)


def _piece(text: str, start: int, end: int, hl: tuple[int, int], marks: list[int]) -> str:
    """text[start:end] as HTML, the part inside `hl` in <mark> (the first one has the id)."""
    out = []
    cuts = sorted({start, end, *(x for x in hl if start < x < end)})
    for a, b in zip(cuts, cuts[1:], strict=False):
        chunk = esc(text[a:b]).replace("\t", '<span class="cell-gap"> </span>')
        if hl[0] <= a and b <= hl[1]:
            attrs = ' id="cited-passage"' if not marks else ""
            marks.append(a)
            out.append(f'<mark class="cited"{attrs}>{chunk}</mark>')
        else:
            out.append(chunk)
    return "".join(out)


_BULLET = re.compile(r"^\s*(?:[•\-–*]|\(?\d{1,3}[.)]|[a-z][.)])\s")


def _paragraph(text: str, start: int, end: int, hl: tuple[int, int], marks: list[int]) -> str:
    """One paragraph: lines wrapped by the PDF are joined with a space; short lines (an
    address, a list, a table row) keep their breaks."""
    lines, pos = [], start
    for line in text[start:end].split("\n"):
        lines.append((pos, pos + len(line)))
        pos += len(line) + 1
    longest = max(b - a for a, b in lines)
    out = []
    for i, (a, b) in enumerate(lines):
        out.append(_piece(text, a, b, hl, marks))
        if i + 1 < len(lines):
            line, nxt = text[a:b], text[lines[i + 1][0] : lines[i + 1][1]]
            wrapped = longest >= 50 and (b - a) >= 0.6 * longest and "\t" not in line
            wrapped = wrapped and not line.rstrip().endswith(":") and not _BULLET.match(nxt)
            out.append(" " if wrapped else "<br>")
    return f"<p>{''.join(out)}</p>"


def readable_html(text: str, hl: tuple[int, int], pages_from: int = 1, multi_page: bool = False) -> str:
    """Readable text as paragraphs (pages split by form feeds, labelled), `hl` marked."""
    out: list[str] = []
    marks: list[int] = []
    page_start = 0
    for i, page in enumerate(text.split("\f")):
        number = pages_from + i
        if multi_page:
            out.append(f'<div class="page-break" role="separator" aria-label="Page {number}">page {number}</div>')
        for m in re.finditer(r"(?:[^\n]|\n(?![ \t]*\n))+", page):
            a, b = m.start(), m.end()
            a, b = a + len(m.group()) - len(m.group().lstrip()), b - len(m.group()) + len(m.group().rstrip())
            if b > a:
                out.append(_paragraph(text, page_start + a, page_start + b, hl, marks))
        page_start += len(page) + 1
    return "".join(out)


def _window(text: str, start: int, end: int) -> tuple[int, int]:
    """The part of a long text to show around [start, end), cut at paragraph breaks."""
    half = max(0, (WINDOW_CHARS - (end - start)) // 2)
    lo, hi = max(0, start - half), min(len(text), end + half)
    if lo > 0:
        cut = text.find("\n\n", lo, start)
        lo = cut + 2 if cut >= 0 else lo
    if hi < len(text):
        cut = text.rfind("\n\n", end, hi)
        hi = cut if cut >= 0 else hi
    return lo, hi


def source_html(assistant: Assistant, c: Citation, position: str = "", nav: str = "") -> str:
    """A cited document's readable text with the quoted span marked, under its title, file
    name and metadata; everything escaped. `position` ("Source [2] · 2 of 5 in answer 3") and
    `nav` (buttons, already HTML) head it.

    A tab that shows citations puts this in a `gr.HTML(js_on_load=asset("viewer.js"))`, which
    scrolls the viewer's own text box (never the page) to centre the quote."""
    doc = assistant.document(c.doc_id)
    if doc is None:
        return (
            f'<div class="viewer"><p class="viewer-empty">{esc(c.title)} is no longer in the index (it was removed '
            f'after this answer).</p><blockquote class="cite-quote">{esc(c.quote)}</blockquote></div>'
        )
    m = doc.meta
    found = readable(assistant, c.doc_id, doc.content_hash)
    text, offsets = found if found is not None else (doc.text, np.arange(len(doc.text)))
    text, start, end = _span(text, offsets, c)
    lo, hi = (0, len(text)) if len(text) <= WINDOW_CHARS else _window(text, start, end)
    first_page = text.count("\f", 0, lo) + 1
    body = readable_html(text[lo:hi], (start - lo, end - lo), first_page, multi_page=doc.pages > 1)
    partial = ""
    if (lo, hi) != (0, len(text)):
        last = first_page + text.count("\f", lo, hi)
        partial = (
            f'<p class="viewer-partial">A long document: pages {first_page}–{last} of {doc.pages} are shown '
            "around the quote; download the original for the rest.</p>"
        )
    author = " ".join(x for x in [m.author_name, f"({m.author_role.value})" if m.author_role else None] if x)
    facts = [m.force, m.doc_type.value, m.date.isoformat() if m.date else "undated", f"page {c.page}"]
    rows = [
        ("Author", author),
        ("Recipient", m.recipient),
        ("Answers report", m.report),
        ("Quoted", f"page {c.page}, characters {c.start}–{c.end} of the extracted text"),
    ]
    meta = "".join(f"<dt>{esc(k)}</dt><dd>{esc(v)}</dd>" for k, v in rows if v)
    title = m.title or file_name(doc.source)
    return (
        f'<div class="viewer" data-doc="{esc(c.doc_id)}" data-n="{c.n}">'
        f'<div class="viewer-head">{nav}'
        f'<p class="viewer-pos">{esc(position)}</p>'
        f'<h2 class="viewer-title">{esc(title)}</h2>'
        f'<p class="viewer-file"><span class="file-name">{esc(file_name(doc.source))}</span> · '
        f"{esc(' · '.join(x for x in facts if x))}</p>"
        f'<details class="viewer-meta"><summary>About this document</summary><dl>{meta}</dl></details>'
        f"</div>{partial}"
        f'<div class="doc-scroll" tabindex="0" role="region" aria-label="Text of {esc(title)}">'
        f'<article class="doc-text">{body}</article></div></div>'
    )


# ---- files offered for download ---------------------------------------------------------
EXPORTS_KEEP = 100  # per kind: the newest export folders kept
EXPORTS_MAX_AGE_S = 7 * 24 * 3600


def exports_root(settings: Settings) -> Path:
    """Where the app writes the files it offers (conversation exports, compare matrices,
    evaluation reports, copies of originals): under the index dir, pruned by `export_dir`."""
    return Path(settings.data_dir) / "exports"


def export_dir(settings: Settings, kind: str, key: str | None = None) -> Path:
    """A fresh (or the keyed) folder exports/KIND/KEY. Older folders of that kind beyond the
    newest EXPORTS_KEEP, or older than a week, are removed first."""
    root = exports_root(settings) / kind
    root.mkdir(parents=True, exist_ok=True)
    folders = sorted((p for p in root.iterdir() if p.is_dir()), key=lambda p: p.stat().st_mtime, reverse=True)
    now = time.time()
    for i, folder in enumerate(folders):
        if folder.name != key and (i >= EXPORTS_KEEP or now - folder.stat().st_mtime > EXPORTS_MAX_AGE_S):
            shutil.rmtree(folder, ignore_errors=True)
    folder = root / (key or f"{time.strftime('%Y%m%d-%H%M%S')}-{uuid.uuid4().hex[:8]}")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def download_copy(settings: Settings, path: Path | None, content_hash: str) -> Path | None:
    """A copy of a document's original file (`Assistant.original_file`) under the exports dir,
    which Gradio may serve; made once per content. Copying keeps the corpus and uploads dirs
    out of Gradio's allowed paths."""
    if path is None:
        return None
    folder = exports_root(settings) / "originals" / content_hash[:16]
    target = folder / path.name
    if not target.exists():
        folder = export_dir(settings, "originals", content_hash[:16])
        shutil.copyfile(path, target)
    return target


def discard_temporary(paths: Iterable[str | Path | None]) -> None:
    """Delete Gradio's temporary copies of uploaded files (and their folder when empty) once
    they have been read, accepted or not: nothing a user sent lingers under its raw name."""
    for p in paths:
        if not p:
            continue
        path = Path(p)
        try:
            path.unlink(missing_ok=True)
            path.parent.rmdir()  # Gradio keeps each upload in a folder of its own
        except OSError:
            pass


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
        f'<p id="status-line">Answerer: <b id="answerer-name">{esc(assistant.answerer_name)}</b>'
        f' · Index: <span id="index-status">{esc(index)}</span>{esc(note)}</p>'
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
