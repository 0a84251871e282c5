"""Metrics: pure functions from an expectation and an answer to scores. No model, no index.

Per item (a `Score` has a value in [0, 1], passed, and a detail; value None = not applicable):

- recall_at_k: share of the gold documents among the documents of the top-k retrieved chunks.
  Applies when `expect.docs` is given. Passes when every gold document is retrieved.
- mrr: 1 / rank of the first gold document in the ranked list of distinct documents of the
  top-k chunks (0 when none is retrieved). Applies when `expect.docs` is given. Passes when
  a gold document ranks first.
- fact_accuracy: share of `expect.facts` groups with at least one alternative found in the
  answer text (case-insensitive, whitespace folded; the answer text only: the extractive
  answerer quotes its evidence inline, and a fact only in a citation was not answered).
  Applies when facts are given. Passes when every group is found.
- force_recall: share of `expect.forces` in the answer's `forces` field. Applies when
  `expect.forces` is given. Passes at 1.
- force_precision: of the forces the answer asserts (its `forces` field), the share NOT in
  `expect.not_forces`. Forces in neither list are neutral (the set's convention: judgement
  calls), so they count as correct. Applies when the item gives `forces` or `not_forces` AND
  the answer asserts at least one force (precision of nothing asserted is undefined; the
  miss shows in force_recall). Passes when no `not_forces` force is asserted.
- abstention_accuracy: 1 when the answer abstained exactly when `expect.abstain` is true
  (default false). Applies to every item.
- citation_validity: share of the answer's citations whose quote equals the cited
  document's text[start:end] with whitespace folded (and so is found in the document).
  Applies when the answer has citations. Passes when all are valid.
- citation_support: 1 when at least one citation points into a gold document. Applies when
  `expect.docs` is given.
- judge (optional): an LLM's verdict that the answer states the expected facts. Applies
  when a judge is configured and facts are given.

Compare-set items (per force cell): status_accuracy (returned status == expected) and
compare_citation_validity (as citation_validity, over the cells' citations).

Overall, each metric is the mean of its per-item values over the items it applies to;
items where it does not apply are left out of that mean (and `applicable` counts them).
Latency: p50 / p95 / max per stage key of `timings_ms` over the scored answers.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import numpy as np

from assistant.evaluation.results import (
    COMPARE_METRICS,
    QUESTION_METRICS,
    CellResult,
    CompareItemResult,
    ItemResult,
    Score,
    Summary,
)
from assistant.evaluation.schema import Expect
from assistant.types import Citation, Hit
from ingest.forces import normalise_force
from ingest.types import Document


def fold(text: str) -> str:
    """Case-insensitive, whitespace-normalised form used for every text match."""
    return " ".join(text.split()).casefold()


def ranked_documents(hits: Iterable[Hit]) -> list[str]:
    """Distinct doc ids in the order their first chunk was retrieved."""
    return list(dict.fromkeys(h.doc_id for h in hits))


def score_retrieval(gold: Sequence[str], ranked: Sequence[str]) -> tuple[Score, Score]:
    """(recall@k, reciprocal rank) of the gold documents in `ranked` (distinct doc ids)."""
    if not gold:
        return Score.na("no gold documents"), Score.na("no gold documents")
    found = [d for d in gold if d in ranked]
    missing = [d for d in gold if d not in ranked]
    recall = Score.of(len(found) / len(gold), f"missing: {', '.join(missing)}" if missing else "")
    rank = next((i for i, d in enumerate(ranked, 1) if d in gold), None)
    mrr = Score.of(
        1 / rank if rank else 0.0, f"first gold document at rank {rank}" if rank else "no gold document retrieved"
    )
    return recall, mrr


def score_facts(facts: Sequence[Sequence[str]], answer_text: str) -> Score:
    if not facts:
        return Score.na("no facts")
    text = fold(answer_text)
    missing = [group for group in facts if not any(fold(alt) in text for alt in group)]
    detail = "missing: " + "; ".join(" | ".join(group) for group in missing) if missing else ""
    return Score.of(1 - len(missing) / len(facts), detail)


def _canonical(names: Iterable[str]) -> set[str]:
    return {normalise_force(n) or " ".join(n.split()) for n in names}


def score_forces(expect: Expect, asserted: Sequence[str]) -> tuple[Score, Score]:
    """(force recall, force precision) of the answer's `forces` field; see the module docstring."""
    said = _canonical(asserted)
    wanted, unwanted = set(expect.forces), set(expect.not_forces)
    if wanted:
        missed = sorted(wanted - said)
        recall = Score.of(len(wanted & said) / len(wanted), f"missed: {', '.join(missed)}" if missed else "")
    else:
        recall = Score.na("no forces expected")
    if not (wanted or unwanted):
        precision = Score.na("no forces or not_forces given")
    elif not said:
        precision = Score.na("the answer asserts no force")
    else:
        wrong = sorted(said & unwanted)
        precision = Score.of(1 - len(wrong) / len(said), f"asserted: {', '.join(wrong)}" if wrong else "")
    return recall, precision


def score_abstention(expected: bool, abstained: bool) -> Score:
    ok = expected == abstained
    detail = "" if ok else ("answered where it should abstain" if expected else "abstained where it should answer")
    return Score(value=float(ok), passed=ok, detail=detail)


def citation_problem(citation: Citation, documents: Mapping[str, Document]) -> str | None:
    """Why `citation` is not a verbatim quote of its document at its offsets (None: it is)."""
    doc = documents.get(citation.doc_id)
    if doc is None:
        return f"document {citation.doc_id} is not in the index"
    if not 0 <= citation.start <= citation.end <= len(doc.text):
        return f"offsets {citation.start}-{citation.end} outside the document ({len(doc.text)} characters)"
    quote = " ".join(citation.quote.split())
    if not quote:
        return "empty quote"
    if " ".join(doc.text[citation.start : citation.end].split()) == quote:
        return None
    if quote in " ".join(doc.text.split()):
        return "quote is in the document but not at the cited offsets"
    return "quote not found in the document"


def check_citations(citations: Sequence[Citation], documents: Mapping[str, Document]) -> dict[int, str]:
    """Citation n -> problem, for the invalid ones."""
    problems = {}
    for c in citations:
        if (why := citation_problem(c, documents)) is not None:
            problems[c.n] = why
    return problems


def score_validity(citations: Sequence[Citation], problems: Mapping[int, str]) -> Score:
    if not citations:
        return Score.na("no citations")
    detail = "; ".join(f"[{n}] {why}" for n, why in problems.items())
    return Score.of(1 - len(problems) / len(citations), detail)


def score_support(gold: Sequence[str], citations: Sequence[Citation]) -> Score:
    if not gold:
        return Score.na("no gold documents")
    ok = any(c.doc_id in gold for c in citations)
    return Score(value=float(ok), passed=ok, detail="" if ok else "no citation into a gold document")


def score_item(result: ItemResult, expect: Expect, gold: Sequence[str], documents: Mapping[str, Document]) -> None:
    """Fill `result.scores` and `result.citation_problems` (judge excluded: see judge.py)."""
    result.citation_problems = check_citations(result.citations, documents)
    recall, mrr = score_retrieval(gold, result.retrieved)
    force_recall, force_precision = score_forces(expect, result.forces)
    result.scores.update(
        recall_at_k=recall,
        mrr=mrr,
        fact_accuracy=score_facts(expect.facts, result.answer),
        force_recall=force_recall,
        force_precision=force_precision,
        abstention_accuracy=score_abstention(expect.abstain, result.abstained),
        citation_validity=score_validity(result.citations, result.citation_problems),
        citation_support=score_support(gold, result.citations),
    )


def score_compare_item(result: CompareItemResult, documents: Mapping[str, Document]) -> None:
    for cell in result.cells:
        cell.citation_problems = check_citations(cell.citations, documents)
    wrong = [
        f"{c.force}: {c.got.value if c.got else 'missing'} (expected {c.expected.value})"
        for c in result.cells
        if not c.correct
    ]
    citations = [c for cell in result.cells for c in cell.citations]
    problems = {n: why for cell in result.cells for n, why in cell.citation_problems.items()}
    invalid = sum(len(cell.citation_problems) for cell in result.cells)
    result.scores.update(
        status_accuracy=Score.of(sum(c.correct for c in result.cells) / len(result.cells), "; ".join(wrong)),
        compare_citation_validity=(
            Score.of(1 - invalid / len(citations), "; ".join(problems.values()))
            if citations
            else Score.na("no citations")
        ),
    )


def percentile(values: Sequence[float], q: float) -> float:
    return round(float(np.percentile(np.asarray(values, dtype=float), q)), 2)


def latency(timings: Iterable[Mapping[str, float]]) -> dict[str, dict[str, float]]:
    """p50 / p95 / max per stage over the given `timings_ms` dicts."""
    by_stage: dict[str, list[float]] = {}
    for t in timings:
        for stage, ms in t.items():
            by_stage.setdefault(stage, []).append(ms)
    return {
        stage: {"p50": percentile(v, 50), "p95": percentile(v, 95), "max": round(max(v), 2)}
        for stage, v in sorted(by_stage.items(), key=lambda kv: stage_order(kv[0]))
    }


def stage_order(stage: str) -> tuple[int, str]:
    """retrieve, answer, total first (the flow's order), then any other stage by name."""
    known = ("retrieve", "answer", "total")
    return (known.index(stage) if stage in known else len(known), stage)


def confusion(cells: Iterable[CellResult]) -> dict[str, dict[str, int]]:
    """expected status -> returned status -> number of cells."""
    table: dict[str, dict[str, int]] = {}
    for cell in cells:
        got = cell.got.value if cell.got else "missing"
        row = table.setdefault(cell.expected.value, {})
        row[got] = row.get(got, 0) + 1
    return table


def halves(items: Sequence[ItemResult], compare: Sequence[CompareItemResult] = ()) -> dict[str, Summary]:
    """A summary for each split present ("tune", "heldout"), in that order."""
    present = {r.split for r in items} | {r.split for r in compare}
    splits = [s for s in ("tune", "heldout") if s in present]
    return {
        split: summarise([r for r in items if r.split == split], [r for r in compare if r.split == split])
        for split in splits
    }


def summarise(items: Sequence[ItemResult], compare: Sequence[CompareItemResult] = ()) -> Summary:
    """Overall means over applicable items, pass counts, latency and the compare confusion table."""
    summary = Summary(items=len(items), compare_items=len(compare))
    for metrics, rows in ((QUESTION_METRICS, items), (COMPARE_METRICS, compare)):
        for metric in metrics:
            scores = [r.scores[metric] for r in rows if metric in r.scores and r.scores[metric].value is not None]
            if not rows or (metric == "judge" and not any("judge" in r.scores for r in rows)):
                continue
            summary.applicable[metric] = len(scores)
            summary.passed[metric] = sum(bool(s.passed) for s in scores)
            summary.metrics[metric] = round(sum(s.value or 0.0 for s in scores) / len(scores), 4) if scores else None
    summary.latency_ms = latency(r.timings_ms for r in items)
    if compare:
        summary.confusion = confusion(c for r in compare for c in r.cells)
    return summary
