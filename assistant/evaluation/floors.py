"""Floors: the minimum overall metrics a run must reach (the CI gate).

A floors file is a YAML mapping `{metric_name: minimum}` (metric names as in
results.METRICS, minimums in [0, 1]). They are checked against the held-out half of the
project pipeline's items (items without `split` are held out; tuning items never gate). A
metric with a floor that the run did not measure (no item applied) fails too: a gate that
silently passes on missing data is no gate.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from assistant.evaluation.results import METRICS, Report


class FloorsError(ValueError):
    """A floors file that cannot be used."""


def load_floors(path: Path) -> dict[str, float]:
    try:
        raw = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise FloorsError(f"{path}: cannot read ({exc.strerror or exc})") from None
    except yaml.YAMLError as exc:
        raise FloorsError(f"{path}: not valid YAML ({exc})") from None
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise FloorsError(f"{path}: floors are a mapping {{metric: minimum}} (got {type(raw).__name__})")
    floors = {}
    for metric, minimum in raw.items():
        if metric not in METRICS:
            raise FloorsError(f"{path}: unknown metric '{metric}' (known: {', '.join(METRICS)})")
        if isinstance(minimum, bool) or not isinstance(minimum, (int, float)) or not 0 <= minimum <= 1:
            raise FloorsError(f"{path}: {metric}: the minimum must be a number from 0 to 1 (got {minimum!r})")
        floors[metric] = float(minimum)
    return floors


def below_floors(report: Report, floors: dict[str, float], pipeline: str = "project") -> list[str]:
    """One line per metric under its floor (empty: the run passes the gate)."""
    run = report.run(pipeline)
    if run is None:
        return [f"no {pipeline} run in the report: floors apply to the {pipeline} pipeline"] if floors else []
    failures = []
    for metric, minimum in floors.items():
        value = run.gated.metrics.get(metric)
        if value is None:
            failures.append(f"{metric}: not measured in this run (floor {minimum:.3f})")
        elif value < minimum - 1e-9:
            failures.append(f"{metric}: {value:.3f} is below the floor {minimum:.3f}")
    return failures
