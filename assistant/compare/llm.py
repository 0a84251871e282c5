"""Optional: a language model classifies a compare cell's status from the cell's passages
(the deterministic cue classifier stays the default). Its answer is checked like any model
output: the status must be one of the four, every cited number must be a passage it was
given, and the cell's citations are those passages, verbatim and verified. Anything else,
or any model error, keeps the cue classifier's status."""

from __future__ import annotations

import json
import logging
import re

from assistant.answer.evidence import Evidence, citation
from assistant.settings import PROJECT_DIR
from assistant.types import CompareCell, Status

log = logging.getLogger(__name__)
PROMPTS = PROJECT_DIR / "prompts"
ALLOWED = {Status.done, Status.in_progress, Status.planned, Status.declined}


def _passages(evidence: list[Evidence]) -> str:
    lines = []
    for i, ev in enumerate(evidence, 1):
        m = ev.doc.meta
        when = m.date.isoformat() if m.date else "undated"
        text = ev.sentence.text.replace("<", "&lt;")  # a passage cannot close the data block
        lines.append(f"[{i}] ({m.doc_type.value}, {when}) {text}")
    return "\n".join(lines)


def parse(reply: str, n_passages: int) -> tuple[Status, list[int]] | None:
    """The model's (status, cited passage numbers), or None when the reply does not check out."""
    m = re.search(r"\{.*\}", reply, re.S)
    try:
        data = json.loads(m.group(0)) if m else {}
        status = Status(data["status"])
        cite = [int(n) for n in data.get("cite", [])]
    except (ValueError, TypeError, KeyError, AttributeError):
        return None
    if status not in ALLOWED or not cite or any(not 1 <= n <= n_passages for n in cite):
        return None
    return status, cite


def classify_cell(model, cell: CompareCell, evidence: list[Evidence]) -> CompareCell:
    """The cell with the model's status and citations, or unchanged when they do not verify."""
    if cell.status is Status.not_mentioned or not evidence:
        return cell  # never guessed: no passage, no status
    system = (PROMPTS / "status_system.md").read_text()
    user = (
        (PROMPTS / "status_user.md")
        .read_text()
        .format(topic=cell.topic, force=cell.force, passages=_passages(evidence))
    )
    try:
        reply = model.invoke([("system", system), ("human", user)]).content
    except Exception:  # noqa: BLE001  any model failure keeps the deterministic status
        log.warning(
            "status model failed for %s / %s; keeping the cue classifier's", cell.force, cell.topic, exc_info=True
        )
        return cell
    parsed = parse(str(reply), len(evidence))
    if parsed is None:
        log.warning("status model reply did not verify for %s / %s: %.200s", cell.force, cell.topic, reply)
        return cell
    status, cite = parsed
    cited = [evidence[n - 1] for n in dict.fromkeys(cite)]
    dates = [e.doc.meta.date for e in cited if e.doc.meta.date]
    return cell.model_copy(
        update={
            "status": status,
            "citations": [citation(i, ev) for i, ev in enumerate(cited, 1)],
            "date": max(dates).isoformat() if dates else cell.date,
        }
    )
