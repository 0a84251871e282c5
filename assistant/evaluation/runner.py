"""Run question sets through the project (and/or the baseline) and score every item.

Sets are validated in full before the first question is asked: a malformed set raises
SetError and nothing is scored. A compare set asked of the baseline alone is reported in
`Report.errors` and left out (the tutorial pipeline has no matrix); the other sets still run.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Literal

from assistant.answer.understand import understand
from assistant.compare import compare
from assistant.core import Assistant, Conversation
from assistant.evaluation.baseline import BaselinePipeline
from assistant.evaluation.diff import diff_reports
from assistant.evaluation.judge import Judge
from assistant.evaluation.results import CellResult, CompareItemResult, ItemResult, PipelineRun, Report
from assistant.evaluation.schema import QuestionItem, QuestionSet, load_sets
from assistant.evaluation.scoring import halves, ranked_documents, score_compare_item, score_item, summarise
from assistant.types import Answer, Filters, Hit

log = logging.getLogger(__name__)

Pipeline = Literal["project", "baseline", "both"]
ProgressFn = Callable[[int, int, str], None]  # (done, total, what is running now)


class EvalError(RuntimeError):
    """A run that could not finish (the message names the item); nothing is reported."""


def run_eval(
    assistant: Assistant,
    paths: Path | str | Iterable[Path | str],
    *,
    pipeline: Pipeline = "project",
    k: int | None = None,
    filters: Filters | None = None,
    judge: Judge | None = None,
    progress: ProgressFn | None = None,
    previous: Report | None = None,
    previous_name: str = "previous report",
) -> Report:
    """Run the sets at `paths` against `assistant` (an `assistant.core.Assistant`).

    `pipeline`: "project", "baseline" or "both" (same questions, same run). `filters` apply
    to every project question (the baseline has none, like the tutorial). `previous`: an
    earlier report to compare with (fills `Report.diff`). `progress(done, total, label)` is
    called after each item. Raises SetError (malformed set) or EvalError (a failed item).
    """
    started = time.perf_counter()
    paths = [Path(paths)] if isinstance(paths, (str, Path)) else [Path(p) for p in paths]
    documents = {d.doc_id: d for d in assistant.index.documents(with_text=True)}
    sets = load_sets(paths, documents.values())
    k = k or assistant.settings.k
    filters = filters or Filters()
    pipelines = ["project", "baseline"] if pipeline == "both" else [pipeline]
    report = Report(
        created=datetime.now(UTC).isoformat(timespec="seconds"),
        sets=[str(p) for p in paths],
        index=_location(assistant.settings),
        documents=len(documents),
        k=k,
        filters=filters,
        llm=assistant.settings.llm,
        judge=judge.name if judge else None,
    )

    question_sets = [s for s in sets if s.kind == "questions"]
    compare_sets = [s for s in sets if s.kind == "compare"]
    if compare_sets and "project" not in pipelines:
        report.errors += [f"{s.path}: compare sets score the project pipeline only" for s in compare_sets]
        compare_sets = []

    questions = sum(len(s.questions) for s in question_sets)
    tick = _Ticker(progress, len(pipelines) * questions + sum(len(s.topics) for s in compare_sets))
    for name in pipelines:
        if name == "project":
            if documents:
                # Load the model and the vectors before the clock starts: latency is per
                # question at steady state, not the one-off cold start of the first question.
                tick.label("loading the index")
                assistant.retrieve("warm-up", None, 1)
            run = PipelineRun(pipeline="project", answerer=assistant.answerer_name)
            run.items = _run_questions(
                question_sets, documents, judge, tick, "project", lambda item: _ask_project(assistant, item, filters, k)
            )
            for qset in compare_sets:
                run.compare += _run_compare_set(assistant, qset, documents, tick)
        else:
            tick.label("building the baseline index")
            baseline = BaselinePipeline(list(documents.values()), assistant.embedder)
            try:
                run = PipelineRun(pipeline="baseline", answerer=baseline.description)
                run.items = _run_questions(
                    question_sets, documents, judge, tick, "baseline", partial(_ask_baseline, baseline, k=k)
                )
            finally:
                baseline.close()
        run.overall = summarise(run.items, run.compare)
        run.halves = halves(run.items, run.compare)
        report.runs.append(run)

    report.seconds = round(time.perf_counter() - started, 2)
    if previous is not None:
        report.diff = diff_reports(previous, report, previous_name, "this run")
    return report


class _Ticker:
    def __init__(self, progress: ProgressFn | None, total: int):
        self.progress, self.total, self.done = progress, total, 0

    def label(self, text: str) -> None:
        if self.progress:
            self.progress(self.done, self.total, text)

    def step(self, text: str) -> None:
        self.done += 1
        self.label(text)


def _location(settings) -> str:
    return f"{settings.chroma_host}:{settings.chroma_port}" if settings.server_mode else str(settings.index_dir)


def _run_questions(
    sets: Sequence[QuestionSet],
    documents,
    judge: Judge | None,
    tick: _Ticker,
    pipeline: str,
    ask: Callable[[QuestionItem], tuple[Answer, list[Hit]]],
) -> list[ItemResult]:
    results = []
    for qset in sets:
        for item in qset.questions:
            try:
                answer, hits = ask(item)
            except Exception as exc:  # any failure ends the run: a partial score would mislead
                log.info("item %s of %s failed", item.id, qset.name, exc_info=True)
                raise EvalError(f"{qset.path}: item {item.id}: the {pipeline} pipeline failed: {exc}") from exc
            result = ItemResult(
                set=qset.name,
                id=item.id,
                split=item.split,
                turns=item.asked,
                answer=answer.answer,
                abstained=answer.abstained,
                forces=answer.forces,
                citations=answer.citations,
                retrieved=ranked_documents(hits),
                timings_ms=answer.timings_ms,
            )
            gold = qset.gold.get(item.id, [])
            score_item(result, item.expect, gold, documents)
            if judge is not None:
                result.scores["judge"] = judge.score(item.asked[-1], item.expect.facts, answer.answer)
            results.append(result)
            tick.step(f"{pipeline}: {qset.name} {item.id}")
    return results


def _ask_project(assistant, item: QuestionItem, filters: Filters, k: int) -> tuple[Answer, list[Hit]]:
    """Ask every turn in one conversation; retrieval is measured on the last turn's standalone
    query (as `Assistant.ask` understood it, follow-ups resolved), with that query's filters."""
    conversation = Conversation()
    for turn in item.asked[:-1]:
        assistant.ask(turn, conversation, filters, k)
    understood = len(conversation.queries)
    answer = assistant.ask(item.asked[-1], conversation, filters, k)
    if len(conversation.queries) > understood:
        query = conversation.queries[-1]
    else:  # ask() returned before understanding (e.g. an empty index): measure the plain question
        query = understand(item.asked[-1], None, filters)
    return answer, assistant.retrieve(query.text, query.filters, k)


def _ask_baseline(baseline: BaselinePipeline, item: QuestionItem, *, k: int) -> tuple[Answer, list[Hit]]:
    """The tutorial has no conversation memory: only the last turn is asked."""
    question = item.asked[-1]
    return baseline.ask(question), baseline.retrieve(question, k)


def _run_compare_set(assistant: Assistant, qset: QuestionSet, documents, tick: _Ticker) -> list[CompareItemResult]:
    """One matrix for the whole set (all its topics, the union of its forces), as an analyst
    sees it in the CLI and the Compare tab, then each item scored from its row."""
    started = time.perf_counter()
    topics = [item.topic for item in qset.topics]
    forces = list(dict.fromkeys(force for item in qset.topics for force in item.expect))
    try:
        comparison = compare(assistant, topics, forces)
    except Exception as exc:  # as for questions: no partial scores
        log.info("compare set %s failed", qset.name, exc_info=True)
        raise EvalError(f"{qset.path}: compare failed: {exc}") from exc
    cells = {(c.topic, c.force): c for c in comparison.cells}
    seconds = round((time.perf_counter() - started) / max(len(qset.topics), 1), 3)
    results = []
    for item in qset.topics:
        topic = " ".join(item.topic.split())
        result = CompareItemResult(
            set=qset.name,
            id=item.id,
            split=item.split,
            topic=item.topic,
            seconds=seconds,
            cells=[
                CellResult(
                    force=force,
                    expected=status,
                    got=cells[(topic, force)].status if (topic, force) in cells else None,
                    citations=cells[(topic, force)].citations if (topic, force) in cells else [],
                )
                for force, status in item.expect.items()
            ],
        )
        score_compare_item(result, documents)
        tick.step(f"compare: {qset.name} {item.id}")
        results.append(result)
    return results
