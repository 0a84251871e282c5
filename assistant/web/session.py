"""One browser tab's conversation, and what is made from it: the Chatbot's messages, the
citation cards, the source viewer, the Markdown and JSON exports, the feedback records.

Pure functions of the session (and the documents its answers cite); the Chat tab
(`assistant.web.chat`) wires them to the page.
"""

from __future__ import annotations

import json
import threading
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from tempfile import gettempdir

from assistant.core import Assistant, Conversation
from assistant.settings import Settings
from assistant.types import Answer, Citation, Filters
from assistant.web.components import chat_markdown, esc, source_html


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


# ---- the chat -------------------------------------------------------------------------------
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


# ---- citation cards and the viewer ----------------------------------------------------------
def _meta_line(assistant: Assistant, citation: Citation) -> str:
    doc = assistant.document(citation.doc_id)
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
    cards = []
    for i, c in enumerate(answer.citations):
        is_active = " active" if session.viewing == (turn_index, i) else ""
        cards.append(
            f'<div class="cite-card{is_active}" role="button" tabindex="0" data-cite-turn="{turn_index}" '
            f'data-cite-n="{c.n}" title="Open in the source viewer">'
            f'<div><span class="cite-n">{c.n}</span><b>{esc(c.force or "Unknown force")}</b> · {esc(c.title)}</div>'
            f'<div class="cite-meta">{esc(_meta_line(assistant, c))}</div>'
            f'<blockquote class="cite-quote">{esc(c.quote)}</blockquote></div>'
        )
    return f'<div class="cite-cards">{"".join(cards)}</div>'


def viewed_citation(session: ChatSession) -> Citation | None:
    if session.viewing is None:
        return None
    turn_index, i = session.viewing
    return session.turns[turn_index].answer.citations[i]


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
    directory = Path(gettempdir()) / "assistant-exports" / session.session_id
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
