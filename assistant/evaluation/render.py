"""Reports as files: report.md, report.html (every text escaped), report.json and report.png."""

from __future__ import annotations

import html
from pathlib import Path

from assistant.evaluation.plot import plot_report
from assistant.evaluation.results import (
    COMPARE_METRICS,
    LABELS,
    QUESTION_METRICS,
    ItemResult,
    PipelineRun,
    Report,
    ReportDiff,
    Score,
    Summary,
)

PLOT = "report.png"


def fmt(value: float | None, digits: int = 3) -> str:
    return "n/a" if value is None else f"{value:.{digits}f}"


def mark(score: Score | None) -> str:
    if score is None or score.passed is None:
        return "–"
    return "✓" if score.passed else "✗"


def some(names: list[str], limit: int = 8) -> str:
    """At most `limit` names, then how many more."""
    if not names:
        return "none"
    shown = ", ".join(names[:limit])
    return f"{shown}, … (+{len(names) - limit} more)" if len(names) > limit else shown


def signed(value: float | None, digits: int = 3) -> str:
    return "n/a" if value is None else f"{value:+.{digits}f}"


def item_metrics(run: PipelineRun) -> list[str]:
    """The question metrics that appear in this run's items (judge only when it ran)."""
    return [m for m in QUESTION_METRICS if any(m in item.scores for item in run.items)]


HALF_NAMES = {"tune": "tune", "heldout": "held-out"}


def overall_columns(report: Report) -> list[tuple[str, Summary]]:
    """(column head, figures) for the overall tables: per run, its tuning and held-out halves
    side by side when its sets have both, then all items."""
    columns = []
    for run in report.runs:
        if len(run.halves) > 1:
            columns += [(f"{run.pipeline} {HALF_NAMES.get(h, h)}", s) for h, s in run.halves.items()]
            columns.append((f"{run.pipeline} all", run.overall))
        else:
            columns.append((run.pipeline, run.overall))
    return columns


def overall_rows(report: Report) -> list[tuple[str, list[str]]]:
    """(metric label, one "value (passed/applicable)" cell per column of `overall_columns`)
    for every measured metric."""
    rows = []
    columns = [s for _, s in overall_columns(report)]
    for metric in QUESTION_METRICS + COMPARE_METRICS:
        if not any(metric in s.metrics for s in columns):
            continue
        cells = []
        for s in columns:
            if metric not in s.metrics:
                cells.append("–")
            else:
                cells.append(f"{fmt(s.metrics[metric])} ({s.passed.get(metric, 0)}/{s.applicable.get(metric, 0)})")
        rows.append((LABELS.get(metric, metric), cells))
    return rows


def latency_rows(report: Report) -> list[tuple[str, list[str]]]:
    columns = [s for _, s in overall_columns(report)]
    stages = list(dict.fromkeys(stage for s in columns for stage in s.latency_ms))
    rows = []
    for stage in stages:
        cells = []
        for s in columns:
            t = s.latency_ms.get(stage)
            cells.append(f"{t['p50']:.1f} / {t['p95']:.1f}" if t else "–")
        rows.append((stage, cells))
    return rows


def settings_line(report: Report) -> str:
    questions = len(report.runs[0].items) if report.runs else 0
    parts = [
        f"{questions} questions per pipeline",
        f"k={report.k}",
        f"index {report.index} ({report.documents} documents)",
        f"filters: {report.filters.describe() or 'none'}",
        f"llm: {report.llm or 'none (extractive)'}",
    ]
    if report.judge:
        parts.append(f"judge: {report.judge}")
    parts.append(f"{report.seconds:.1f} s")
    return "; ".join(parts)


# ---- markdown ----------------------------------------------------------------------------------
def _md(text: str) -> str:
    """Text safe inside a markdown table cell or paragraph (no raw HTML, no stray pipes)."""
    return html.escape(" ".join(str(text).split()), quote=False).replace("|", "\\|")


def _md_table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines + [""]


def render_markdown(report: Report, plot: str | None = PLOT) -> str:
    """The whole report as Markdown (for report.md and the web app's Evaluate tab)."""
    names = [name for name, _ in overall_columns(report)]
    out = [
        "# Evaluation report",
        "",
        f"Created {report.created} · sets: {', '.join(_md(s) for s in report.sets)}",
        "",
        _md(settings_line(report)),
        "",
    ]
    for run in report.runs:
        out.append(f"- **{run.pipeline}**: {_md(run.answerer)}")
    out.append("")
    if report.errors:
        out += ["## Not scored", ""] + [f"- {_md(e)}" for e in report.errors] + [""]
    out += [
        "## Overall",
        "",
        "Each metric is the mean over the items it applies to (passed/applicable in brackets).",
        "",
    ]
    out += _md_table(["metric", *names], [[label, *cells] for label, cells in overall_rows(report)])
    out += ["Latency, ms (p50 / p95):", ""]
    out += _md_table(["stage", *names], [[stage, *cells] for stage, cells in latency_rows(report)])
    if plot:
        out += [f"![metric summary and latency]({plot})", ""]
    if report.diff:
        out += markdown_diff(report.diff, heading="##")
    for run in report.runs:
        out += _md_compare(run)
        out += _md_items(run)
    return "\n".join(out)


def _md_compare(run: PipelineRun) -> list[str]:
    if not run.compare:
        return []
    out = [f"## Compare sets ({run.pipeline})", ""]
    statuses = list(
        dict.fromkeys([*run.overall.confusion, *(g for row in run.overall.confusion.values() for g in row)])
    )
    out += ["Confusion (rows: expected status, columns: returned):", ""]
    out += _md_table(
        ["expected \\ returned", *statuses],
        [[e, *[str(row.get(g, 0)) for g in statuses]] for e, row in run.overall.confusion.items()],
    )
    rows = []
    for item in run.compare:
        cells = "; ".join(
            f"{_md(c.force)}: {c.got.value if c.got else 'missing'}"
            + ("" if c.correct else f" (expected {c.expected.value})")
            for c in item.cells
        )
        rows.append([_md(item.key), _md(item.topic), cells, mark(item.scores.get("status_accuracy"))])
    return out + _md_table(["item", "topic", "status per force", "ok"], rows)


def _md_items(run: PipelineRun) -> list[str]:
    metrics = item_metrics(run)
    out = [f"## Items ({run.pipeline})", ""]
    rows = [
        [
            _md(item.key),
            _md(" → ".join(item.turns)),
            *[mark(item.scores.get(m)) for m in metrics],
            "✓" if item.passed else "✗",
        ]
        for item in run.items
    ]
    out += _md_table(["item", "question", *[LABELS[m] for m in metrics], "all"], rows)
    for item in run.items:
        out += _md_item(item)
    return out


def _md_item(item: ItemResult) -> list[str]:
    out = [f"### {_md(item.key)} ({'pass' if item.passed else 'fail'})", ""]
    for i, turn in enumerate(item.turns, 1):
        out.append(f"- **{'Q' if len(item.turns) == 1 else f'Turn {i}'}**: {_md(turn)}")
    out.append(f"- **Answer**{' (abstained)' if item.abstained else ''}:")
    out += [f"  > {line.replace('<', '&lt;')}".rstrip() for line in item.answer.splitlines() or [""]]
    if item.forces:
        out.append(f"- **Forces asserted**: {_md(', '.join(item.forces))}")
    out.append(f"- **Retrieved**: {_md(', '.join(item.retrieved)) or 'nothing'}")
    for c in item.citations:
        problem = item.citation_problems.get(c.n)
        verdict = f"✗ {_md(problem)}" if problem else "✓ verbatim"
        out.append(f"  - [{c.n}] {_md(c.source)} p.{c.page} @{c.start}–{c.end} ({verdict}): “{_md(c.quote)}”")
    failed = [f"{LABELS[m]}: {_md(s.detail)}" for m, s in item.scores.items() if s.passed is False]
    if failed:
        out.append(f"- **Failed**: {'; '.join(failed)}")
    return out + [""]


def markdown_diff(diff: ReportDiff, heading: str = "#") -> list[str]:
    out = [f"{heading} Compared with {_md(diff.old)}", "", f"Old: {_md(diff.old)} · new: {_md(diff.new)}", ""]
    for pipeline, deltas in diff.deltas.items():
        out += [f"**{pipeline}**", ""]
        rows = [[LABELS.get(d.metric, d.metric), fmt(d.old), fmt(d.new), signed(d.delta)] for d in deltas]
        rows += [
            [f"latency {d.metric} (ms)", fmt(d.old, 1), fmt(d.new, 1), signed(d.delta, 1)]
            for d in diff.latency.get(pipeline, [])
        ]
        out += _md_table(["metric", "old", "new", "Δ"], rows)
    if diff.regressed:
        out += [f"Regressed ({len(diff.regressed)}): passed before, fail now:", ""]
        out += [
            f"- {r.pipeline} {_md(r.key)}: {', '.join(LABELS.get(m, m) for m in r.metrics)} — {_md(r.question)}"
            for r in diff.regressed
        ] + [""]
    else:
        out += ["No item regressed.", ""]
    if diff.fixed:
        out += [f"Fixed ({len(diff.fixed)}): " + ", ".join(f"{r.pipeline} {_md(r.key)}" for r in diff.fixed), ""]
    if diff.only_old or diff.only_new:
        out += [f"Only in the old report: {_md(some(diff.only_old))}; only in the new: {_md(some(diff.only_new))}", ""]
    return out


# ---- html --------------------------------------------------------------------------------------
def _h(text: object) -> str:
    return html.escape(str(text), quote=True)


_CSS = """body{font:14px/1.45 system-ui,sans-serif;margin:2em;max-width:1400px;color:#1d1d1f}
table{border-collapse:collapse;margin:.6em 0 1.4em}td,th{border:1px solid #ccd;padding:4px 7px;vertical-align:top}
th{background:#f0f2f6;text-align:left}.pass{color:#11772d;font-weight:600}.fail{color:#b3261e;font-weight:600}
.na{color:#999}.answer{white-space:pre-wrap;max-width:46em}.quote{color:#333;font-size:12.5px}
details summary{cursor:pointer}img{max-width:100%}code{background:#f4f4f4;padding:0 3px}"""


def _cell(score: Score | None) -> str:
    if score is None or score.passed is None:
        return f'<td class="na" title="{_h(score.detail if score else "")}">–</td>'
    cls = "pass" if score.passed else "fail"
    value = "" if score.value in (0.0, 1.0) else f" {score.value:.2f}"
    return f'<td class="{cls}" title="{_h(score.detail)}">{"✓" if score.passed else "✗"}{value}</td>'


def _html_table(header: list[str], rows: list[list[str]]) -> str:
    head = "".join(f"<th>{_h(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{_h(c)}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><tr>{head}</tr>{body}</table>"


def render_html(report: Report, plot: str | None = PLOT) -> str:
    names = [name for name, _ in overall_columns(report)]
    parts = [
        f"<!doctype html><html><head><meta charset='utf-8'><title>Evaluation report</title>"
        f"<style>{_CSS}</style></head><body><h1>Evaluation report</h1>",
        f"<p>Created {_h(report.created)} · sets: {_h(', '.join(report.sets))}<br>{_h(settings_line(report))}</p>",
        "<ul>" + "".join(f"<li><b>{_h(r.pipeline)}</b>: {_h(r.answerer)}</li>" for r in report.runs) + "</ul>",
    ]
    if report.errors:
        parts.append("<h2>Not scored</h2><ul>" + "".join(f"<li>{_h(e)}</li>" for e in report.errors) + "</ul>")
    parts.append(
        "<h2>Overall</h2><p>Each metric is the mean over the items it applies to (passed/applicable in brackets).</p>"
    )
    parts.append(_html_table(["metric", *names], [[label, *cells] for label, cells in overall_rows(report)]))
    parts.append("<p>Latency, ms (p50 / p95)</p>")
    parts.append(_html_table(["stage", *names], [[stage, *cells] for stage, cells in latency_rows(report)]))
    if plot:
        parts.append(f'<img src="{_h(plot)}" alt="metric summary and latency distribution">')
    if report.diff:
        parts.append(_html_diff(report.diff))
    for run in report.runs:
        parts.append(_html_compare(run))
        parts.append(_html_items(run))
    parts.append("</body></html>")
    return "\n".join(parts)


def _html_items(run: PipelineRun) -> str:
    metrics = item_metrics(run)
    head = "".join(
        f"<th>{_h(h)}</th>" for h in ["item", "question", "answer", "citations", *[LABELS[m] for m in metrics]]
    )
    rows = []
    for item in run.items:
        turns = "<br>".join(_h(t) for t in item.turns)
        answer = ("<i>(abstained)</i> " if item.abstained else "") + _h(item.answer)
        if item.forces:
            answer += f"<br><small>forces: {_h(', '.join(item.forces))}</small>"
        cites = []
        for c in item.citations:
            problem = item.citation_problems.get(c.n)
            status = f'<span class="fail">✗ {_h(problem)}</span>' if problem else '<span class="pass">✓</span>'
            cites.append(
                f"<details><summary>[{c.n}] {_h(c.source)} p.{c.page} {status}</summary>"
                f'<div class="quote">@{c.start}–{c.end}: “{_h(c.quote)}”</div></details>'
            )
        rows.append(
            f"<tr><td>{_h(item.key)}</td><td>{turns}</td><td class='answer'>{answer}</td>"
            f"<td>{''.join(cites) or '–'}</td>" + "".join(_cell(item.scores.get(m)) for m in metrics) + "</tr>"
        )
    return (
        f"<h2>Items ({_h(run.pipeline)})</h2><p>Hover a mark for the detail.</p>"
        f"<table><tr>{head}</tr>{''.join(rows)}</table>"
    )


def _html_compare(run: PipelineRun) -> str:
    if not run.compare:
        return ""
    confusion = run.overall.confusion
    statuses = list(dict.fromkeys([*confusion, *(g for row in confusion.values() for g in row)]))
    parts = [
        f"<h2>Compare sets ({_h(run.pipeline)})</h2><p>Rows: expected status; columns: returned.</p>",
        _html_table(
            ["expected \\ returned", *statuses],
            [[e, *[str(row.get(g, 0)) for g in statuses]] for e, row in confusion.items()],
        ),
    ]
    rows = []
    for item in run.compare:
        cells = "<br>".join(
            f"{_h(c.force)}: <span class='{'pass' if c.correct else 'fail'}'>{_h(c.got.value if c.got else 'missing')}"
            f"</span>" + ("" if c.correct else f" (expected {_h(c.expected.value)})")
            for c in item.cells
        )
        rows.append(
            f"<tr><td>{_h(item.key)}</td><td>{_h(item.topic)}</td><td>{cells}</td>"
            f"{_cell(item.scores.get('status_accuracy'))}</tr>"
        )
    parts.append(
        "<table><tr><th>item</th><th>topic</th><th>status per force</th><th>ok</th></tr>" + "".join(rows) + "</table>"
    )
    return "".join(parts)


def _html_diff(diff: ReportDiff) -> str:
    parts = [f"<h2>Compared with {_h(diff.old)}</h2>"]
    for pipeline, deltas in diff.deltas.items():
        rows = [[LABELS.get(d.metric, d.metric), fmt(d.old), fmt(d.new), signed(d.delta)] for d in deltas]
        rows += [
            [f"latency {d.metric} (ms)", fmt(d.old, 1), fmt(d.new, 1), signed(d.delta, 1)]
            for d in diff.latency.get(pipeline, [])
        ]
        parts.append(f"<p><b>{_h(pipeline)}</b></p>" + _html_table(["metric", "old", "new", "Δ"], rows))
    if diff.regressed:
        parts.append(
            "<p>Regressed (passed before, fail now):</p><ul>"
            + "".join(
                f"<li>{_h(r.pipeline)} {_h(r.key)}: {_h(', '.join(LABELS.get(m, m) for m in r.metrics))} — "
                f"{_h(r.question)}</li>"
                for r in diff.regressed
            )
            + "</ul>"
        )
    else:
        parts.append("<p>No item regressed.</p>")
    return "".join(parts)


# ---- files -------------------------------------------------------------------------------------
def write_reports(report: Report, out_dir: Path) -> list[Path]:
    """report.md, report.html, report.json and report.png in `out_dir` (created if needed)."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = [plot_report(report, out_dir / PLOT)]
    for name, text in (
        ("report.md", render_markdown(report)),
        ("report.html", render_html(report)),
        ("report.json", report.model_dump_json(indent=2)),
    ):
        path = out_dir / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
