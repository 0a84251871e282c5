"""One browser tab's conversation, and what is made from it: the conversation as HTML (each
answer with its "Read as" line, its source cards and its feedback row), the source viewer,
the record the browser keeps to restore it after a reload, the Markdown and JSON exports,
the feedback records.

Pure functions of the session (and the documents its answers cite); the Chat tab
(`assistant.web.chat`) wires them to the page. Every string from an answer, a document or a
user is escaped (`components.esc`).
"""

from __future__ import annotations

import json
import re
import threading
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from assistant.core import Assistant, Conversation
from assistant.settings import Settings
from assistant.types import Answer, Citation, Filters, Reading
from assistant.web.components import esc, export_dir, file_name, source_html

EXAMPLES = [
    "Which forces audited breach recording?",
    "Which forces appointed a single point of contact for stalking?",
    "What did the Gwent PCC say about Police Information Notices?",
    "Who wrote the Cambridgeshire letter to the Home Secretary, and when?",
]
PREVIEW_CHARS = 280
CARD_CHARS = 360  # a card shows the start of its quote; the viewer shows it whole
MAX_RESTORE_TURNS = 200
MAX_RESTORE_CHARS = 4_000_000


@dataclass
class Turn:
    answer: Answer
    filters: Filters  # the filter panel's, when it was asked
    feedback: str | None = None  # "up" | "down" once the user said


@dataclass
class ChatSession:
    """One browser tab's conversation: follow-up state, answers, and what the viewer shows."""

    conversation: Conversation = field(default_factory=Conversation)
    turns: list[Turn] = field(default_factory=list)
    viewing: tuple[int, int] | None = None  # (turn index, citation index) in the viewer
    session_id: str = field(default_factory=lambda: uuid.uuid4().hex)


# ---- an answer as HTML ------------------------------------------------------------------------
_QUOTED = re.compile(r"“[^”]*”|\"[^\"\n]*\"")
_MARKERS = re.compile(r"(?<!\\)\[(\d{1,3}(?:\s*,\s*\d{1,3})*)\]")
_STRONG = re.compile(r"\*\*(.+?)\*\*")
_EMPH = re.compile(r"(?<![\w\\])_(\(.+?\))_(?!\w)")


def _shortened(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + "…"


def _preview(c: Citation, turn: int, k: int) -> str:
    quote = _shortened(c.quote, PREVIEW_CHARS)
    where = f"{c.title or file_name(c.source)} · page {c.page} · {file_name(c.source)}"
    return (
        f'<span class="cite-preview" role="tooltip" id="pv-{turn}-{c.n}-{k}">'
        f'<span class="pv-quote">“{esc(quote)}”</span><span class="pv-where">{esc(where)}</span></span>'
    )


class _Markers:
    """Turns `[n]` of an answer into buttons that open source n (with a preview on hover and
    focus); numbers that are not citations of the answer stay text."""

    def __init__(self, turn: int, citations: list[Citation]):
        self.turn = turn
        self.by_n = {c.n: c for c in citations}
        self.count = 0

    def __call__(self, m: re.Match) -> str:
        numbers = [int(x) for x in re.split(r"\s*,\s*", m.group(1))]
        if not all(n in self.by_n for n in numbers):
            return m.group(0)
        out = []
        for n in numbers:
            self.count += 1
            out.append(
                f'<span class="cite-ref"><button type="button" class="cite-marker" data-turn="{self.turn}" '
                f'data-n="{n}" aria-label="Source {n}" aria-describedby="pv-{self.turn}-{n}-{self.count}">[{n}]'
                f"</button>{_preview(self.by_n[n], self.turn, self.count)}</span>"
            )
        return "".join(out)


def _inline(line: str, markers: _Markers | None) -> str:
    """One line of an answer: quoted document text stays exactly as written (escaped); outside
    quotes, the answer's own **bold**, _(notes)_ and citation markers are rendered."""
    out, pos = [], 0
    for m in _QUOTED.finditer(line):
        out.append(_outside(line[pos : m.start()], markers))
        quoted = m.group(0).replace("\\[", "[").replace("\\]", "]")
        out.append(f'<span class="quoted">{esc(quoted)}</span>')
        pos = m.end()
    out.append(_outside(line[pos:], markers))
    return "".join(out)


def _outside(text: str, markers: _Markers | None) -> str:
    html = esc(text)
    html = _STRONG.sub(r"<strong>\1</strong>", html)
    html = _EMPH.sub(r"<em>\1</em>", html)
    if markers is not None:
        html = _MARKERS.sub(markers, html)
    return html.replace("\\[", "[").replace("\\]", "]")


def answer_html(text: str, turn: int | None = None, citations: list[Citation] | None = None) -> str:
    """An answer's text as paragraphs and lists, its markers as source buttons."""
    markers = _Markers(turn, citations or []) if turn is not None else None
    out = []
    for block in re.split(r"\n\s*\n", text.strip()):
        lines = [line for line in block.split("\n") if line.strip()]
        if lines and all(line.lstrip().startswith(("- ", "* ")) for line in lines):
            items = "".join(f"<li>{_inline(line.lstrip()[2:], markers)}</li>" for line in lines)
            out.append(f"<ul>{items}</ul>")
        elif lines:
            out.append(f"<p>{'<br>'.join(_inline(line, markers) for line in lines)}</p>")
    return "".join(out)


# ---- the reading of a question ------------------------------------------------------------------
def filter_parts(filters: Filters) -> list[str]:
    """ "force Gwent", "type board paper", "since 2019-01-01": the words `Reading.from_question` uses."""
    parts = [f"force {f}" for f in filters.forces] + [f"type {t}" for t in filters.doc_types]
    if filters.since:
        parts.append(f"since {filters.since.isoformat()}")
    if filters.until:
        parts.append(f"until {filters.until.isoformat()}")
    return parts


def reading_html(turn_index: int, turn: Turn) -> str:
    """ "Read as: <standalone question> · filters: … (from the question)", the note when the
    filter panel and the question disagreed, and a button to ask the standalone question on
    its own (shown when the question was read as a follow-up)."""
    reading = turn.answer.reading
    if reading is None:
        return ""
    panel = set(filter_parts(turn.filters))
    named = set(reading.from_question)
    groups: dict[str, list[str]] = {"from the question": [], "from the filter panel": [], "from earlier questions": []}
    for part in filter_parts(reading.filters):
        where = (
            "from the question"
            if part in named
            else "from the filter panel"
            if part in panel
            else "from earlier questions"
        )
        groups[where].append(part)
    described = "; ".join(f"{esc(', '.join(p))} <span class='origin'>({w})</span>" for w, p in groups.items() if p)
    follow = ' <span class="origin">(a follow-up, read with the previous question)</span>' if reading.follow_up else ""
    line = (
        f'<p class="reading-line"><span class="reading-label">Read as:</span> '
        f'<q class="reading-q">{esc(reading.question)}</q>{follow} · filters: {described or "none"}</p>'
    )
    notes = "".join(
        f'<p class="reading-override" role="note"><span aria-hidden="true">⚠ </span>The filter panel and the '
        f"question disagree: {esc(note)}.</p>"
        for note in reading.overridden
    )
    button = ""
    if reading.follow_up:
        button = (
            f'<button type="button" class="ask-standalone" data-turn="{turn_index}" '
            f'aria-label="Ask “{esc(reading.question)}” as a new question, without the earlier questions">'
            "Ask this on its own</button>"
        )
    return f'<div class="reading">{line}{notes}{button}</div>'


# ---- cards, feedback, turns -------------------------------------------------------------------
def _card_meta(c: Citation) -> str:
    parts = [c.date or "undated", f"page {c.page}", file_name(c.source)]
    return " · ".join(p for p in parts if p)


def cards_html(turn_index: int, turn: Turn, viewing: tuple[int, int] | None = None) -> str:
    """The source cards of one answer, numbered like its markers."""
    answer = turn.answer
    if not answer.citations:
        why = "it abstained" if answer.abstained else "it quotes no document"
        return f'<p class="cite-empty">No sources for this answer: {why}.</p>'
    cards = []
    for i, c in enumerate(answer.citations):
        active = viewing == (turn_index, i)
        cards.append(
            f'<li class="cite-card{" active" if active else ""}" data-turn="{turn_index}" data-n="{c.n}">'
            f'<button type="button" class="cite-open" data-turn="{turn_index}" data-n="{c.n}" '
            f'aria-pressed="{"true" if active else "false"}">'
            f'<span class="cite-n">{c.n}</span> <b>{esc(c.force or "Unknown force")}</b> · {esc(c.title)}</button>'
            f'<span class="cite-meta">{esc(_card_meta(c))}</span>'
            f'<blockquote class="cite-quote">{esc(_shortened(c.quote, CARD_CHARS))}</blockquote></li>'
        )
    return (
        f'<h4 class="cards-head" id="sources-{turn_index}">Sources</h4>'
        f'<ol class="cite-cards" aria-labelledby="sources-{turn_index}">{"".join(cards)}</ol>'
    )


def feedback_html(turn_index: int, turn: Turn) -> str:
    said = {"up": "helpful", "down": "not helpful"}.get(turn.feedback or "")
    done = f'<span class="feedback-done" role="status">Thank you: recorded as {said}.</span>' if said else ""
    buttons = "".join(
        f'<button type="button" class="fb" data-turn="{turn_index}" data-rating="{rating}" '
        f'aria-pressed="{"true" if turn.feedback == rating else "false"}">{label}</button>'
        for rating, label in (("up", "Helpful"), ("down", "Not helpful"))
    )
    return (
        f'<div class="feedback" role="group" aria-label="Feedback on answer {turn_index + 1}">'
        f'<span class="fb-ask">Was this answer helpful?</span>{buttons}'
        f'<label class="fb-label" for="fb-comment-{turn_index}">Comment (optional)</label>'
        f'<input type="text" class="fb-comment" id="fb-comment-{turn_index}" maxlength="2000" '
        f'placeholder="What was missing or wrong?">{done}</div>'
    )


def _question_html(turn_index: int, question: str) -> str:
    return f'<h3 class="q" id="q-{turn_index}"><span class="visually-hidden">Question: </span>{esc(question)}</h3>'


def turn_html(turn_index: int, turn: Turn, viewing: tuple[int, int] | None = None) -> str:
    a = turn.answer
    filters = ""
    if not turn.filters.is_empty():
        filters = f'<p class="turn-filters">Filter panel: {esc(turn.filters.describe())}</p>'
    return (
        f'<article class="turn" data-turn="{turn_index}" aria-labelledby="q-{turn_index}">'
        f"{_question_html(turn_index, a.question)}"
        f'<div class="answer{" abstained" if a.abstained else ""}">{answer_html(a.answer, turn_index, a.citations)}'
        f"</div>{filters}{reading_html(turn_index, turn)}"
        f'<section class="sources">{cards_html(turn_index, turn, viewing)}</section>'
        f"{feedback_html(turn_index, turn)}</article>"
    )


def _welcome() -> str:
    examples = "".join(
        f'<li><button type="button" class="example" data-q="{esc(q)}">{esc(q)}</button></li>' for q in EXAMPLES
    )
    return (
        '<div class="welcome"><p>Ask about the responses of police forces and Police and Crime Commissioners '
        "to HMICFRS inspections. Every claim in an answer quotes its source; click a number such as [1] "
        "to read the passage in its document.</p>"
        f'<p class="examples-head">Try:</p><ul class="examples">{examples}</ul></div>'
    )


def conversation_html(session: ChatSession, pending: str | None = None, draft: str | None = None) -> str:
    """The whole conversation; `pending`: a question being answered (with `draft`, text a
    language model is still writing). `data-turns` lets a page script or test see an answer land."""
    turns = [turn_html(i, t, session.viewing) for i, t in enumerate(session.turns)]
    if pending is not None:
        i = len(session.turns)
        body = (
            f'<p class="draft-note">The language model is writing; the answer is shown once every sentence is '
            f"checked against its sources.</p>{answer_html(draft)}"
            if draft
            else '<p class="searching">Searching the documents…</p>'
        )
        turns.append(
            f'<article class="turn pending" data-turn="{i}" aria-labelledby="q-{i}" aria-busy="true">'
            f'{_question_html(i, pending)}<div class="answer draft">{body}</div></article>'
        )
    save = ""
    if session.turns and pending is None:
        save = (
            f'<div class="save" hidden data-turn="{len(session.turns) - 1}" '
            f'data-record="{esc(json.dumps(save_record(session), ensure_ascii=False))}"></div>'
        )
    return (
        f'<div class="conversation" data-turns="{len(session.turns)}" data-session="{esc(session.session_id)}">'
        f"{''.join(turns) or _welcome()}{save}</div>"
    )


# ---- kept in the browser: a record per turn, and the session back from those records ------
def save_record(session: ChatSession, turn_index: int = -1) -> dict[str, Any]:
    """What the browser keeps of one turn (the latest by default) to restore the conversation
    after a reload: the answer with its reading and filters, and the follow-up state."""
    turn = session.turns[turn_index]
    answer = turn.answer.model_dump(mode="json")
    for c in answer["citations"]:
        c["source"] = file_name(c["source"])  # no server path reaches the browser
    record: dict[str, Any] = {
        "answer": answer,
        "reading": turn.answer.reading.model_dump(mode="json") if turn.answer.reading else None,
        "filters": turn.filters.model_dump(mode="json"),
        "feedback": turn.feedback,
    }
    state = session.conversation
    if turn_index in (-1, len(session.turns) - 1) and state.queries:
        record["query"] = state.queries[-1].model_dump(mode="json")
        record["cited"] = state.cited[-1] if state.cited else []
    return record


class RestoreError(ValueError):
    """A kept conversation that cannot be restored (damaged, or from an older version)."""


def restore_session(data: object) -> ChatSession:
    """The session from what the browser kept: {"id": ..., "turns": [save_record, ...]}.
    Raises RestoreError when it does not fit."""
    if not isinstance(data, dict) or not isinstance(data.get("turns"), list):
        raise RestoreError("not a kept conversation")
    if len(data["turns"]) > MAX_RESTORE_TURNS or len(json.dumps(data)) > MAX_RESTORE_CHARS:
        raise RestoreError("the kept conversation is too large")
    session_id = str(data.get("id") or "")
    if not re.fullmatch(r"[0-9a-f]{32}", session_id):
        session_id = uuid.uuid4().hex
    session = ChatSession(session_id=session_id)
    try:
        for record in data["turns"]:
            answer = Answer.model_validate(record["answer"])
            if record.get("reading"):
                answer.reading = Reading.model_validate(record["reading"])
            feedback = record.get("feedback") if record.get("feedback") in ("up", "down") else None
            session.turns.append(Turn(answer, Filters.model_validate(record.get("filters") or {}), feedback))
        last = data["turns"][-1] if data["turns"] else {}
        if last.get("query"):
            session.conversation = Conversation.model_validate(
                {"queries": [last["query"]], "cited": [list(last.get("cited") or [])]}
            )
    except (ValidationError, KeyError, TypeError, AttributeError) as exc:
        raise RestoreError(f"the kept conversation does not fit this version ({type(exc).__name__})") from None
    return session


# ---- the viewer -------------------------------------------------------------------------------
def viewed_citation(session: ChatSession) -> Citation | None:
    if session.viewing is None:
        return None
    turn_index, i = session.viewing
    return session.turns[turn_index].answer.citations[i]


def _nav(session: ChatSession) -> str:
    assert session.viewing is not None
    t, i = session.viewing
    n = len(session.turns[t].answer.citations)
    prev_off = " disabled" if i == 0 else ""
    next_off = " disabled" if i >= n - 1 else ""
    return (
        '<div class="viewer-nav">'
        '<button type="button" class="drawer-close" aria-label="Close the source and return to the answer">'
        "✕ Back to the answer</button>"
        f'<button type="button" class="move" data-move="-1" id="prev-cite"{prev_off}>◀ Previous</button>'
        f'<button type="button" class="move" data-move="1" id="next-cite"{next_off}>Next ▶</button></div>'
    )


def viewer_html(assistant: Assistant, session: ChatSession) -> str:
    """The source viewer for the citation the session is looking at."""
    if session.viewing is None:
        return (
            '<div class="viewer"><div class="viewer-head"><div class="viewer-nav">'
            '<button type="button" class="drawer-close" aria-label="Close the source viewer">✕ Close</button></div>'
            '<p class="viewer-empty">The source of an answer opens here: its document, with the quoted '
            "passage highlighted. Click a number such as [1] or a source card.</p></div></div>"
        )
    turn_index, i = session.viewing
    citations = session.turns[turn_index].answer.citations
    c = citations[i]
    position = f"Source [{c.n}] · {i + 1} of {len(citations)} in answer {turn_index + 1}"
    return source_html(assistant, c, position, _nav(session))


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
        if a.reading is not None:
            parts = ", ".join(filter_parts(a.reading.filters)) or "none"
            lines += [f"*Read as: {a.reading.question} · filters: {parts}*", ""]
        if not turn.filters.is_empty():
            lines += [f"*Filters on: {turn.filters.describe()}*", ""]
        lines += [a.answer, ""]
        if a.citations:
            lines += ["**Sources**", ""]
            for c in a.citations:
                when = f", {c.date}" if c.date else ""
                lines.append(
                    f"[{c.n}] {c.force or 'Unknown force'} — {c.title}{when}, page {c.page} "
                    f"({file_name(c.source)}, characters {c.start}–{c.end})"
                )
                lines.append(f"> {' '.join(c.quote.split())}")
                lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def _exported_answer(answer: Answer) -> dict:
    data = answer.model_dump(mode="json")
    for c in data["citations"]:
        c["source"] = file_name(c["source"])  # the file name, never a server path
    if answer.reading is not None:
        data["read_as"] = answer.reading.model_dump(mode="json")
    return data


def export_json(session: ChatSession, answerer: str) -> str:
    """The conversation: per turn the `ask --json` object (citation sources as file names),
    the filter panel's filters and how the question was read."""
    return json.dumps(
        {
            "exported": datetime.now(UTC).isoformat(timespec="seconds"),
            "answerer": answerer,
            "turns": [
                {"filters": t.filters.model_dump(mode="json"), **_exported_answer(t.answer)} for t in session.turns
            ],
        },
        indent=2,
        ensure_ascii=False,
    )


def write_exports(settings: Settings, session: ChatSession, answerer: str) -> tuple[Path, Path]:
    """conversation.md and conversation.json under the index dir's exports (kept for a week)."""
    directory = export_dir(settings, "conversations", session.session_id)
    md, js = directory / "conversation.md", directory / "conversation.json"
    md.write_text(export_markdown(session, answerer), encoding="utf-8")
    js.write_text(export_json(session, answerer), encoding="utf-8")
    return md, js


_feedback_lock = threading.Lock()


def record_feedback(
    settings: Settings, session: ChatSession, rating: str, comment: str, answerer: str, turn_index: int = -1
) -> Path:
    """Append one JSON line about an answer (the latest by default) to data_dir/feedback.jsonl."""
    turn = session.turns[turn_index]
    record = {
        "time": datetime.now(UTC).isoformat(timespec="seconds"),
        "rating": rating,
        "comment": comment.strip()[:2000],
        "answerer": answerer,
        "filters": turn.filters.model_dump(mode="json"),
        "question": turn.answer.question,
        "read_as": turn.answer.reading.question if turn.answer.reading else None,
        "answer": turn.answer.answer,
        "abstained": turn.answer.abstained,
        "citations": [c.model_dump(mode="json") for c in turn.answer.citations],
    }
    path = Path(settings.data_dir) / "feedback.jsonl"
    path.parent.mkdir(parents=True, exist_ok=True)
    with _feedback_lock, path.open("a", encoding="utf-8") as f:
        f.write(json.dumps(record, ensure_ascii=False) + "\n")
    turn.feedback = rating
    return path
