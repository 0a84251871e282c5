"""What an evaluation run produces: per-item scores, overall summaries, the report.

`Report` is what `assistant eval --json` prints and what `--out DIR` writes as report.json;
`--compare` and `--baseline` read it back.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pydantic import BaseModel, Field

from assistant.types import Citation, Filters, Status

# Metric names, in report order. They are the keys of `Summary.metrics` and of floors files.
QUESTION_METRICS = (
    "recall_at_k",
    "mrr",
    "fact_accuracy",
    "force_recall",
    "force_precision",
    "abstention_accuracy",
    "citation_validity",
    "citation_support",
    "judge",
)
COMPARE_METRICS = ("status_accuracy", "compare_citation_validity")
METRICS = QUESTION_METRICS + COMPARE_METRICS

LABELS = {
    "recall_at_k": "recall@k",
    "mrr": "MRR",
    "fact_accuracy": "facts",
    "force_recall": "force recall",
    "force_precision": "force precision",
    "abstention_accuracy": "abstention",
    "citation_validity": "cit. valid",
    "citation_support": "cit. support",
    "judge": "judge",
    "status_accuracy": "status",
    "compare_citation_validity": "compare cit. valid",
}


class Score(BaseModel):
    """One metric on one item. `value` None: the metric does not apply to this item."""

    value: float | None = None
    passed: bool | None = None
    detail: str = ""

    @classmethod
    def na(cls, why: str = "") -> Score:
        return cls(detail=why)

    @classmethod
    def of(cls, value: float, detail: str = "") -> Score:
        """A ratio metric: passes only when perfect."""
        return cls(value=value, passed=value >= 1.0 - 1e-9, detail=detail)


class _Scored:
    """What question and compare items share: a key across sets, and passing every metric that
    applies. For models with `set`, `id` and `scores` fields (declared there, in their order)."""

    if TYPE_CHECKING:  # the fields of the models this is mixed into
        set: str
        id: str
        split: str
        scores: dict[str, Score]

    @property
    def key(self) -> str:
        return f"{self.set}#{self.id}"

    @property
    def passed(self) -> bool:
        return all(s.passed for s in self.scores.values() if s.passed is not None)


class ItemResult(_Scored, BaseModel):
    """One question-set item as answered by one pipeline (the last turn's answer)."""

    set: str
    id: str
    split: str = "heldout"
    turns: list[str]
    answer: str
    abstained: bool
    forces: list[str] = Field(default_factory=list)
    citations: list[Citation] = Field(default_factory=list)
    citation_problems: dict[int, str] = Field(default_factory=dict)  # citation n -> why it is invalid
    retrieved: list[str] = Field(default_factory=list)  # ranked distinct doc ids of the top-k hits
    timings_ms: dict[str, float] = Field(default_factory=dict)
    scores: dict[str, Score] = Field(default_factory=dict)

    @property
    def question(self) -> str:
        return self.turns[-1] if self.turns else ""


class CellResult(BaseModel):
    force: str
    expected: Status
    got: Status | None  # None: compare() returned no cell for this force
    citations: list[Citation] = Field(default_factory=list)
    citation_problems: dict[int, str] = Field(default_factory=dict)

    @property
    def correct(self) -> bool:
        return self.got == self.expected


class CompareItemResult(_Scored, BaseModel):
    """One compare-set item: the expected and returned status per force."""

    set: str
    id: str
    split: str = "heldout"
    topic: str
    cells: list[CellResult]
    seconds: float = 0.0
    scores: dict[str, Score] = Field(default_factory=dict)


class Summary(BaseModel):
    """Overall figures: each metric is the mean over the items it applies to."""

    items: int = 0
    compare_items: int = 0
    metrics: dict[str, float | None] = Field(default_factory=dict)
    applicable: dict[str, int] = Field(default_factory=dict)  # items each metric applied to
    passed: dict[str, int] = Field(default_factory=dict)  # of those, items that passed
    latency_ms: dict[str, dict[str, float]] = Field(default_factory=dict)  # stage -> {p50, p95, max}
    confusion: dict[str, dict[str, int]] = Field(default_factory=dict)  # expected -> returned -> cells


class PipelineRun(BaseModel):
    pipeline: str  # "project" | "baseline"
    answerer: str  # e.g. "extractive", "baseline (LangChain tutorial: 1000/200 split, dense top-4)"
    items: list[ItemResult] = Field(default_factory=list)
    compare: list[CompareItemResult] = Field(default_factory=list)
    overall: Summary = Field(default_factory=Summary)
    # The same figures for each half of the sets ("tune", "heldout"), when a run has both:
    # floors gate the held-out half, and a gap between the halves is a finding.
    halves: dict[str, Summary] = Field(default_factory=dict)

    @property
    def gated(self) -> Summary:
        """The figures the floors apply to: the held-out half (items without `split` are held out)."""
        return self.halves.get("heldout", Summary())


class MetricDelta(BaseModel):
    metric: str
    old: float | None
    new: float | None

    @property
    def delta(self) -> float | None:
        return None if self.old is None or self.new is None else round(self.new - self.old, 4)


class Regression(BaseModel):
    pipeline: str
    key: str
    question: str
    metrics: list[str]  # metrics that passed before and fail now


class ReportDiff(BaseModel):
    """Two reports side by side: per-metric deltas per pipeline and the items that regressed."""

    old: str
    new: str
    deltas: dict[str, list[MetricDelta]] = Field(default_factory=dict)
    latency: dict[str, list[MetricDelta]] = Field(default_factory=dict)  # "total p50" etc.
    regressed: list[Regression] = Field(default_factory=list)
    fixed: list[Regression] = Field(default_factory=list)  # failed before, pass now
    only_old: list[str] = Field(default_factory=list)
    only_new: list[str] = Field(default_factory=list)


class Report(BaseModel):
    version: int = 1
    created: str
    sets: list[str]
    index: str
    documents: int
    k: int
    filters: Filters = Field(default_factory=Filters)
    llm: str | None = None
    judge: str | None = None
    runs: list[PipelineRun] = Field(default_factory=list)
    errors: list[str] = Field(default_factory=list)  # sets that could not be scored, and why
    seconds: float = 0.0
    diff: ReportDiff | None = None  # against --baseline OLD.json

    def run(self, pipeline: str) -> PipelineRun | None:
        return next((r for r in self.runs if r.pipeline == pipeline), None)
