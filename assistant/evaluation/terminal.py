"""Reports on the terminal (rich): per-item pass/fail per pipeline, overall side by side."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from assistant.evaluation.render import (
    fmt,
    item_metrics,
    latency_rows,
    overall_columns,
    overall_rows,
    settings_line,
    signed,
    some,
)
from assistant.evaluation.results import LABELS, PipelineRun, Report, ReportDiff, Score

_STYLE = {"✓": "green", "✗": "red", "–": "dim"}
# Column heads narrow enough for an 80-column terminal.
SHORT = {
    "recall_at_k": "R@k",
    "mrr": "MRR",
    "fact_accuracy": "fct",
    "force_recall": "fRc",
    "force_precision": "fPr",
    "abstention_accuracy": "abs",
    "citation_validity": "cVl",
    "citation_support": "cSp",
    "judge": "jdg",
}


def _mark(score: Score | None) -> Text:
    symbol = "–" if score is None or score.passed is None else ("✓" if score.passed else "✗")
    return Text(symbol, style=_STYLE[symbol])


def print_report(report: Report, console: Console) -> None:
    for run in report.runs:
        if run.items:
            console.print(_items_table(run, console.width))
        if run.compare:
            console.print(_compare_table(run))
    names = [name for name, _ in overall_columns(report)]
    overall = Table("metric", *names, title="Overall (mean over applicable items; passed/applicable)")
    for label, cells in overall_rows(report):
        overall.add_row(label, *cells)
    for stage, cells in latency_rows(report):
        overall.add_row(f"latency {stage} ms p50 / p95", *cells)
    console.print(overall)
    console.print(settings_line(report), highlight=False)
    if report.diff:
        print_diff(report.diff, console)


def _items_table(run: PipelineRun, width: int) -> Table:
    metrics = item_metrics(run)
    several_sets = len({item.set for item in run.items}) > 1
    labels = [item.key if several_sets else item.id for item in run.items]
    # rich shrinks only wrapping columns; the question is cut by hand to what is left over.
    room = max(12, width - 6 * (len(metrics) + 1) - max(map(len, labels), default=4) - 9)
    table = Table(
        title=f"{run.pipeline}: {run.answerer}", caption=", ".join(f"{SHORT[m]} = {LABELS[m]}" for m in metrics)
    )
    table.add_column("item", no_wrap=True, min_width=4)
    table.add_column("question", no_wrap=True, max_width=min(room, 70))
    for m in metrics:
        table.add_column(SHORT[m], justify="center", no_wrap=True, min_width=3)
    table.add_column("all", justify="center", no_wrap=True, min_width=3)
    for label, item in zip(labels, run.items, strict=False):
        question = " → ".join(item.turns)
        question = question if len(question) <= room else question[: room - 1] + "…"
        table.add_row(
            label,
            question,
            *[_mark(item.scores.get(m)) for m in metrics],
            Text("✓", style="green") if item.passed else Text("✗", style="red"),
        )
    return table


def _compare_table(run: PipelineRun) -> Table:
    table = Table("item", "topic", "status per force", "ok", title=f"{run.pipeline}: compare sets")
    for item in run.compare:
        cells = Text()
        for c in item.cells:
            got = c.got.value if c.got else "missing"
            cells.append(f"{c.force}: ")
            cells.append(got, style="green" if c.correct else "red")
            cells.append("" if c.correct else f" (expected {c.expected.value})")
            cells.append("\n")
        cells.rstrip()
        table.add_row(item.key, item.topic, cells, _mark(item.scores.get("status_accuracy")))
    confusion = run.overall.confusion
    statuses = list(dict.fromkeys([*confusion, *(g for row in confusion.values() for g in row)]))
    matrix = Table("expected \\ returned", *statuses, title="status confusion")
    for expected, row in confusion.items():
        matrix.add_row(expected, *[str(row.get(g, 0)) for g in statuses])
    grid = Table.grid(padding=1)
    grid.add_row(table)
    grid.add_row(matrix)
    return grid


def print_diff(diff: ReportDiff, console: Console) -> None:
    for pipeline, deltas in diff.deltas.items():
        table = Table("metric", "old", "new", "Δ", title=f"{pipeline}: {diff.old} → {diff.new}")
        for d in deltas:
            style = "" if not d.delta else ("green" if d.delta > 0 else "red")
            table.add_row(LABELS.get(d.metric, d.metric), fmt(d.old), fmt(d.new), Text(signed(d.delta), style=style))
        for d in diff.latency.get(pipeline, []):
            table.add_row(f"latency {d.metric} ms", fmt(d.old, 1), fmt(d.new, 1), signed(d.delta, 1))
        console.print(table)
    if diff.regressed:
        console.print(f"[red]{len(diff.regressed)} item(s) regressed[/red] (passed before, fail now):")
        for r in diff.regressed:
            console.print(
                f"  {r.pipeline} {r.key}: {', '.join(LABELS.get(m, m) for m in r.metrics)} — {r.question}",
                highlight=False,
            )
    else:
        console.print("[green]no item regressed[/green]")
    if diff.fixed:
        console.print(
            f"{len(diff.fixed)} item(s) fixed: " + ", ".join(f"{r.pipeline} {r.key}" for r in diff.fixed),
            highlight=False,
        )
    if diff.only_old or diff.only_new:
        console.print(f"only in old: {some(diff.only_old)}; only in new: {some(diff.only_new)}", highlight=False)
