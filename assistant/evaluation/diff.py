"""Compare two reports: per-metric deltas per pipeline, and the items that regressed.

An item regressed when any metric passed in the old report and fails in the new one
(matched by pipeline, set file name and item id). A metric that no longer applies is not a
regression. Items present in only one report are listed, not scored.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from assistant.evaluation.results import (
    METRICS,
    CompareItemResult,
    ItemResult,
    MetricDelta,
    PipelineRun,
    Regression,
    Report,
    ReportDiff,
)


class ReportUnreadable(ValueError):
    """A report.json that cannot be read back."""


def load_report(path: Path) -> Report:
    try:
        return Report.model_validate_json(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise ReportUnreadable(f"{path}: cannot read ({exc.strerror or exc})") from None
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise ReportUnreadable(f"{path}: not an `assistant eval` report.json ({where}: {first['msg']})") from None


def diff_reports(old: Report, new: Report, old_name: str = "old", new_name: str = "new") -> ReportDiff:
    """Deltas and regressions from `old` to `new` (see the module docstring)."""
    diff = ReportDiff(old=old_name, new=new_name)
    for new_run in new.runs:
        old_run = old.run(new_run.pipeline)
        if old_run is None:
            continue
        diff.deltas[new_run.pipeline] = [
            MetricDelta(metric=m, old=old_run.overall.metrics.get(m), new=new_run.overall.metrics.get(m))
            for m in METRICS
            if m in old_run.overall.metrics or m in new_run.overall.metrics
        ]
        diff.latency[new_run.pipeline] = [
            MetricDelta(
                metric=f"{stage} {q}",
                old=old_run.overall.latency_ms.get(stage, {}).get(q),
                new=new_run.overall.latency_ms[stage][q],
            )
            for stage in new_run.overall.latency_ms
            for q in ("p50", "p95")
        ]

        before = _by_key(old_run)
        after = _by_key(new_run)
        for key, now in after.items():
            was = before.get(key)
            if was is None:
                diff.only_new.append(f"{new_run.pipeline}: {key}")
                continue
            worse = [
                m
                for m, s in now.scores.items()
                if s.passed is False and m in was.scores and was.scores[m].passed is True
            ]
            better = [
                m
                for m, s in now.scores.items()
                if s.passed is True and m in was.scores and was.scores[m].passed is False
            ]
            question = now.question if isinstance(now, ItemResult) else now.topic
            if worse:
                diff.regressed.append(Regression(pipeline=new_run.pipeline, key=key, question=question, metrics=worse))
            if better:
                diff.fixed.append(Regression(pipeline=new_run.pipeline, key=key, question=question, metrics=better))
        diff.only_old += [f"{new_run.pipeline}: {key}" for key in before if key not in after]
    return diff


def _by_key(run: PipelineRun) -> dict[str, ItemResult | CompareItemResult]:
    results: list[ItemResult | CompareItemResult] = [*run.items, *run.compare]
    return {r.key: r for r in results}
