"""The report's figure: overall metrics per pipeline, and the latency distribution per stage."""

from __future__ import annotations

from pathlib import Path

from assistant.evaluation.results import LABELS, METRICS, Report
from assistant.evaluation.scoring import stage_order

COLOURS = {"project": "#1f6feb", "baseline": "#9a9a9a"}


def plot_report(report: Report, path: Path) -> Path:
    """Write a PNG to `path` (matplotlib, Agg backend: no display needed)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    metrics = [m for m in METRICS if any(r.overall.metrics.get(m) is not None for r in report.runs)]
    fig, (left, right) = plt.subplots(1, 2, figsize=(13, 5.5), gridspec_kw={"width_ratios": [3, 2]})
    width = 0.8 / max(len(report.runs), 1)
    for i, run in enumerate(report.runs):
        values = [run.overall.metrics.get(m) or 0.0 for m in metrics]
        positions = [y + i * width for y in range(len(metrics))]
        bars = left.barh(positions, values, height=width, label=run.pipeline, color=COLOURS.get(run.pipeline, f"C{i}"))
        for bar, m in zip(bars, metrics, strict=False):
            value = run.overall.metrics.get(m)
            left.text(
                min(bar.get_width() + 0.01, 1.02),
                bar.get_y() + bar.get_height() / 2,
                "n/a" if value is None else f"{value:.2f}",
                va="center",
                fontsize=8,
            )
    left.set_yticks(
        [y + width * (len(report.runs) - 1) / 2 for y in range(len(metrics))], [LABELS.get(m, m) for m in metrics]
    )
    left.invert_yaxis()
    left.set_xlim(0, 1.12)
    left.set_title(f"Overall metrics (k={report.k})")
    left.legend(loc="upper center", bbox_to_anchor=(0.5, -0.06), ncol=len(report.runs), fontsize=8, frameon=False)

    series, labels, colours = [], [], []
    for i, run in enumerate(report.runs):
        stages = sorted({s for item in run.items for s in item.timings_ms}, key=stage_order)
        for stage in stages:
            values = [item.timings_ms[stage] for item in run.items if stage in item.timings_ms]
            if values:
                series.append(values)
                labels.append(f"{run.pipeline}\n{stage}")
                colours.append(COLOURS.get(run.pipeline, f"C{i}"))
    if series:
        boxes = right.boxplot(series, tick_labels=labels, patch_artist=True, showfliers=True)
        for patch, colour in zip(boxes["boxes"], colours, strict=False):
            patch.set_facecolor(colour)
            patch.set_alpha(0.5)
        right.set_yscale("log")
        right.tick_params(axis="x", labelsize=8)
    else:
        right.text(0.5, 0.5, "no timings", ha="center", va="center")
    right.set_ylabel("ms per question (log scale)")
    right.set_title("Latency per stage")
    fig.tight_layout()
    path = Path(path)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path
