"""Compare forces: a topic × force matrix of statuses (done, in progress, planned, declined,
not mentioned), each cell proved by verbatim citations from the force's own documents.
Each cell is decided by `assistant.answer.status` (its docstring has the rules), the same
judgement `ask` uses for force questions."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from assistant.answer.evidence import citation, distinct
from assistant.answer.status import MAX_CITATIONS, NEAR_MISSES, Judgement, judge_forces, topic_query
from assistant.compare.llm import classify_cell
from assistant.types import Citation, CompareCell, Comparison, Status
from ingest.forces import normalise_force

if TYPE_CHECKING:
    from assistant.core import Assistant

STATUS_LABEL = {
    Status.done: "done",
    Status.in_progress: "in progress",
    Status.planned: "planned",
    Status.declined: "declined",
    Status.not_mentioned: "not mentioned",
}


def _cell_citations(j: Judgement) -> list[Citation]:
    return [citation(i, ev) for i, ev in enumerate(distinct(j.evidence, MAX_CITATIONS + 1), 1)]


def _forces(snapshot_forces: list[str], forces: list[str] | None) -> list[str]:
    if not forces:
        return list(snapshot_forces)
    return list(dict.fromkeys(normalise_force(f) or f for f in forces))


def compare(
    assistant: Assistant,
    topics: list[str],
    forces: list[str] | None = None,
    synonyms: dict[str, list[str]] | None = None,
    *,
    k: int | None = None,
    timings: dict[str, float] | None = None,
    model=None,
) -> Comparison:
    """The topic × force matrix, one cell per topic and force, topics in the order given.
    `forces` defaults to every force in the index; a force asked for but absent from the
    index gets `not_mentioned` cells. `synonyms[topic]` widen retrieval, and a sentence that
    carries a whole multi-word synonym speaks to the topic. `timings`, when given, receives
    milliseconds per stage. `model`: a LangChain chat model that classifies each cell's status
    from its passages instead of the cue classifier (assistant.compare.llm; verified, with the
    cue classifier's status kept when its answer does not check out)."""
    started = time.perf_counter()
    synonyms = synonyms or {}
    snap = assistant.retriever.snapshot()
    names = _forces(snap.force_names, forces)
    indexed = [f for f in names if f in set(snap.force_names)]
    topics = list(dict.fromkeys(" ".join(t.split()) for t in topics if t and t.strip()))
    cells: list[CompareCell] = []
    for topic in topics:
        extra = synonyms.get(topic, [])
        rivals = [t for t in topics if t != topic]
        judged = (
            judge_forces(assistant.retriever, topic_query(topic, indexed, extra), extra, k, rivals) if indexed else {}
        )
        for force in names:
            j = judged.get(force) or Judgement(Status.not_mentioned)
            cell = CompareCell(
                topic=topic,
                force=force,
                status=j.status,
                date=j.date.isoformat() if j.date else None,
                citations=_cell_citations(j),
                cue=j.cue,
                near=[citation(i, ev) for i, ev in enumerate(distinct(j.near, NEAR_MISSES), 1)],
            )
            if model is not None:
                cell = classify_cell(model, cell, distinct(j.evidence, MAX_CITATIONS + 1))
            cells.append(cell)
    if timings is not None:
        timings["total"] = round((time.perf_counter() - started) * 1000, 2)
    return Comparison(topics=topics, forces=names, cells=cells)
