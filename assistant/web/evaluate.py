"""The Evaluate tab: pick or upload a question set, run it (with a progress bar), then read a
summary card (the metrics, pass/fail against the floors, the baseline side by side, per half
of the set), the report files to download, and a sortable table of the items, filtered to the
failures, each row expandable to its answer and citations.

A thin surface over `assistant.evaluation`. Sets and the index are named by file name, never
by a server path; the report files are written under the index dir's exports.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import gradio as gr

from assistant.core import Assistant
from assistant.evaluation import EvalError, FloorsError, Report, SetError, below_floors, load_floors, run_eval
from assistant.evaluation.render import latency_rows, overall_columns, write_reports
from assistant.evaluation.results import COMPARE_METRICS, LABELS, QUESTION_METRICS, PipelineRun, Score
from assistant.settings import PROJECT_DIR
from assistant.web.components import PROGRESS, WebContext, asset, discard_temporary, esc, export_dir, file_name

SETS_DIR = PROJECT_DIR / "evals"
Pipeline = Literal["project", "baseline", "both"]
PIPELINES: tuple[Pipeline, ...] = ("both", "project", "baseline")
NOT_SETS = {"floors.yaml", "topics.yaml", "metadata.yaml"}
FLOORS_BESIDE = "floors.yaml beside the set"
NO_FLOORS = "none"
PREVIEW = 140
REPORT_FILES = [("Report (HTML)", "html"), ("Markdown", "md"), ("JSON", "json"), ("Plot (PNG)", "png")]


def shipped_sets() -> list[str]:
    """Question and compare sets that ship in evals/ (and its sub-folders with floors), as
    paths relative to the project."""
    found = [p for p in SETS_DIR.glob("*.yaml") if p.name not in NOT_SETS]
    found += [p for d in SETS_DIR.iterdir() if (d / "floors.yaml").is_file() for p in d.glob("*.yaml")]
    return sorted({str(p.relative_to(PROJECT_DIR)) for p in found if p.name not in NOT_SETS})


def shipped_floors() -> list[str]:
    return sorted(str(p.relative_to(PROJECT_DIR)) for p in SETS_DIR.rglob("floors.yaml"))


def floors_for(choice: str | None, set_path: Path | None, uploaded: bool) -> tuple[dict[str, float] | None, str]:
    """(floors, their file's name) for the picked option; None when there are none."""
    if not choice or choice == NO_FLOORS:
        return None, ""
    if choice == FLOORS_BESIDE:
        if uploaded or set_path is None or not (set_path.parent / "floors.yaml").is_file():
            return None, ""
        path = set_path.parent / "floors.yaml"
    else:
        path = PROJECT_DIR / choice
    return load_floors(path), str(path.relative_to(PROJECT_DIR)) if path.is_relative_to(PROJECT_DIR) else path.name


# ---- the summary card ---------------------------------------------------------------------------
def _fmt(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def _verdict(report: Report, floors: dict[str, float] | None, floors_name: str) -> str:
    if floors is None:
        return '<p class="verdict none">No floors applied: pick a floors file to gate this run.</p>'
    failures = below_floors(report, floors)
    gated = "the held-out half" if any(len(r.halves) > 1 for r in report.runs) else "all items"
    if not failures:
        return (
            f'<p class="verdict pass"><span aria-hidden="true">✓ </span>Pass: every floor of {esc(floors_name)} '
            f"is met on {gated} of the project pipeline.</p>"
        )
    items = "".join(f"<li>{esc(f)}</li>" for f in failures)
    return (
        f'<div class="verdict fail"><p><span aria-hidden="true">✗ </span>Fail: {len(failures)} floor'
        f"{'s' if len(failures) > 1 else ''} of {esc(floors_name)} not met on {gated} of the project pipeline."
        f"</p><ul>{items}</ul></div>"
    )


def _metric_table(report: Report, floors: dict[str, float] | None) -> str:
    columns = overall_columns(report)
    project = report.run("project")
    head = "".join(f'<th scope="col">{esc(name)}</th>' for name, _ in columns)
    if floors is not None:
        head += '<th scope="col">floor</th><th scope="col">gate</th>'
    rows = []
    for metric in QUESTION_METRICS + COMPARE_METRICS:
        if not any(metric in s.metrics for _, s in columns):
            continue
        cells = "".join(
            f"<td>{_fmt(s.metrics[metric])} <small>({s.passed.get(metric, 0)}/{s.applicable.get(metric, 0)})"
            "</small></td>"
            if metric in s.metrics
            else "<td>–</td>"
            for _, s in columns
        )
        if floors is not None:
            floor = floors.get(metric)
            got = project.gated.metrics.get(metric) if project else None
            if floor is None:
                cells += "<td>–</td><td>–</td>"
            elif got is not None and got >= floor - 1e-9:
                cells += f'<td>{floor:.3f}</td><td class="pass">✓ pass</td>'
            else:
                cells += f'<td>{floor:.3f}</td><td class="fail">✗ fail</td>'
        rows.append(f'<tr><th scope="row">{esc(LABELS.get(metric, metric))}</th>{cells}</tr>')
    latency = "".join(
        f'<tr><th scope="row">{esc(stage)} <small>p50 / p95 ms</small></th>'
        + "".join(f"<td>{esc(v)}</td>" for v in values)
        + ("<td></td><td></td>" if floors is not None else "")
        + "</tr>"
        for stage, values in latency_rows(report)
    )
    return (
        '<div class="table-scroll"><table class="metrics"><caption>Each metric is the mean over the items it applies '
        'to (passed/applicable)</caption><thead><tr><th scope="col">metric</th>'
        f"{head}</tr></thead><tbody>{''.join(rows)}{latency}</tbody></table></div>"
    )


def summary_html(report: Report, floors: dict[str, float] | None = None, floors_name: str = "") -> str:
    """The summary card: verdict, what ran, the metrics side by side (per half and pipeline)."""
    runs = "".join(f"<li><b>{esc(r.pipeline)}</b>: {esc(r.answerer)}</li>" for r in report.runs)
    project = report.run("project") or (report.runs[0] if report.runs else None)
    passing = ""
    if project is not None and project.items:
        ok = sum(item.passed for item in project.items)
        passing = f" · {ok} of {len(project.items)} questions pass every metric ({esc(project.pipeline)})"
    errors = "".join(f"<li>{esc(e)}</li>" for e in report.errors)
    return (
        '<section class="eval-card" aria-labelledby="eval-summary-head">'
        '<h2 id="eval-summary-head">Summary</h2>'
        f"{_verdict(report, floors, floors_name)}"
        f'<p class="eval-facts">Sets: {esc(", ".join(report.sets))} · {report.documents} documents · k={report.k}'
        f" · {report.seconds:.1f} s{passing}</p>"
        f'<ul class="eval-runs">{runs}</ul>'
        f"{_metric_table(report, floors)}"
        + (f'<div class="eval-errors"><p>Not scored:</p><ul>{errors}</ul></div>' if errors else "")
        + "</section>"
    )


# ---- the items table ----------------------------------------------------------------------------
def _mark(score: Score | None) -> tuple[str, str]:
    """(cell text, sort key) for one metric of one item."""
    if score is None or score.passed is None:
        return "–", "2"
    return ("✓", "1") if score.passed else ("✗", "0")


def _detail(item, run: PipelineRun) -> str:
    turns = "".join(f"<li>{esc(t)}</li>" for t in item.turns)
    cites = []
    for c in item.citations:
        problem = item.citation_problems.get(c.n)
        verdict = f'<span class="fail">✗ {esc(problem)}</span>' if problem else '<span class="pass">✓ verbatim</span>'
        cites.append(
            f"<li><b>[{c.n}]</b> {esc(c.title or file_name(c.source))} · {esc(file_name(c.source))} · p.{c.page} "
            f'{verdict}<blockquote class="cite-quote">{esc(c.quote)}</blockquote></li>'
        )
    failed = "".join(
        f"<li>{esc(LABELS.get(m, m))}: {esc(s.detail)}</li>" for m, s in item.scores.items() if s.passed is False
    )
    return (
        f'<div class="eval-detail"><p><b>Asked</b> ({esc(run.pipeline)}):</p><ol>{turns}</ol>'
        f"<p><b>Answer</b>{' (abstained)' if item.abstained else ''}:</p>"
        f'<div class="eval-answer">{esc(item.answer)}</div>'
        + (f"<p><b>Forces asserted</b>: {esc(', '.join(item.forces))}</p>" if item.forces else "")
        + (f'<p><b>Citations</b>:</p><ol class="eval-cites">{"".join(cites)}</ol>' if cites else "")
        + (f'<p><b>Why it failed</b>:</p><ul class="eval-failed">{failed}</ul>' if failed else "")
        + "</div>"
    )


def items_html(report: Report) -> str:
    """Every question item of every run as one sortable table (filtered by evaluate.js)."""
    metrics = [m for m in QUESTION_METRICS if any(m in i.scores for r in report.runs for i in r.items)]
    heads = ["", "pipeline", "set", "id", "half", "question", *[LABELS.get(m, m) for m in metrics], "all"]
    head = "".join(
        '<th scope="col"><span class="visually-hidden">details</span></th>'
        if not h
        else f'<th scope="col" aria-sort="none"><button type="button" class="sort" data-col="{i}">{esc(h)}'
        "</button></th>"
        for i, h in enumerate(heads)
    )
    rows, k = [], 0
    for run in report.runs:
        for item in run.items:
            k += 1
            question = " → ".join(item.turns)
            short = question if len(question) <= PREVIEW else question[:PREVIEW].rsplit(" ", 1)[0] + "…"
            marks = "".join(
                f'<td class="m m{key}" data-sort="{key}">{text}</td>'
                for text, key in (_mark(item.scores.get(m)) for m in metrics)
            )
            verdict = (
                '<td class="pass" data-sort="1">pass</td>'
                if item.passed
                else '<td class="fail" data-sort="0">fail</td>'
            )
            rows.append(
                f'<tr class="item{"" if item.passed else " failed"}" data-pipeline="{esc(run.pipeline)}">'
                f'<td><button type="button" class="expand" aria-expanded="false" aria-controls="eval-d-{k}" '
                f'aria-label="Show the answer to {esc(item.id)}">▸</button></td>'
                f'<td data-sort="{esc(run.pipeline)}">{esc(run.pipeline)}</td>'
                f'<td class="nowrap" data-sort="{esc(item.set)}">{esc(Path(item.set).stem)}</td>'
                f'<td class="nowrap" data-sort="{esc(item.id)}">{esc(item.id)}</td>'
                f'<td data-sort="{esc(item.split)}">{esc(item.split)}</td>'
                f'<td class="question" data-sort="{esc(question)}" title="{esc(question)}">{esc(short)}</td>'
                f"{marks}{verdict}</tr>"
                f'<tr class="detail" id="eval-d-{k}" hidden><td colspan="{len(heads)}">{_detail(item, run)}</td></tr>'
            )
    pipelines = list(dict.fromkeys(r.pipeline for r in report.runs if r.items))
    options = "".join(f'<option value="{esc(p)}">{esc(p)}</option>' for p in pipelines)
    failures = sum(not i.passed for r in report.runs for i in r.items)
    return (
        '<section class="eval-items" aria-labelledby="eval-items-head"><h2 id="eval-items-head">Items</h2>'
        '<div class="eval-toolbar"><label><input type="checkbox" class="only-failures" checked> Failures only '
        f"({failures} in all)</label>"
        + (
            f'<label>Pipeline <select class="pipeline">{options}<option value="">all</option></select></label>'
            if len(pipelines) > 1
            else ""
        )
        + '<span class="shown" role="status"></span></div>'
        '<div class="table-scroll"><table class="eval-table"><caption class="visually-hidden">Items; sort by a '
        f"column's button, expand a row with ▸</caption><thead><tr>{head}</tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table></div>{_compare_html(report)}</section>"
    )


def _compare_html(report: Report) -> str:
    rows = []
    for run in report.runs:
        for item in run.compare:
            cells = "; ".join(
                f"{c.force}: {c.got.value if c.got else 'missing'}"
                + ("" if c.correct else f" (expected {c.expected.value})")
                for c in item.cells
            )
            ok = item.passed
            rows.append(
                f'<tr class="item{"" if ok else " failed"}" data-pipeline="{esc(run.pipeline)}">'
                f'<td class="nowrap">{esc(Path(item.set).stem)}</td><td class="nowrap">{esc(item.id)}</td>'
                f"<td>{esc(item.topic)}</td><td>{esc(cells)}</td>"
                f'<td class="{"pass" if ok else "fail"}">{"pass" if ok else "fail"}</td></tr>'
            )
    if not rows:
        return ""
    return (
        '<h3>Compare topics</h3><div class="table-scroll"><table class="eval-table compare-items"><thead><tr>'
        '<th scope="col">set</th><th scope="col">id</th><th scope="col">topic</th>'
        '<th scope="col">status per force</th><th scope="col">all</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table></div>"
    )


# ---- running ------------------------------------------------------------------------------------
def _shown_report(report: Report, names: dict[str, str]) -> Report:
    """The report as users see it and download it: sets and cited documents by file name, the
    index by no path."""
    data = report.model_dump()
    data["sets"] = [names.get(s, file_name(s)) for s in report.sets]
    data["index"] = "this app's index"
    for run in data["runs"]:
        cited = [c for item in run["items"] for c in item["citations"]]
        cited += [c for item in run["compare"] for cell in item["cells"] for c in cell["citations"]]
        for c in cited:
            c["source"] = file_name(c["source"])
    return Report.model_validate(data)


def evaluate(
    assistant: Assistant,
    picked: str | None,
    uploaded: str | None,
    pipeline: str,
    floors_choice: str | None = FLOORS_BESIDE,
    progress: gr.Progress = PROGRESS,
) -> tuple[Report, list[Path], dict[str, float] | None, str]:
    """Run one set; the report (as shown), its files, and the floors applied. Raises gr.Error
    with a sentence."""
    path = Path(uploaded) if uploaded else (PROJECT_DIR / picked if picked else None)
    if path is None:
        raise gr.Error("Pick a question set or upload one (YAML).")
    chosen = next((p for p in PIPELINES if p == pipeline), None)
    if chosen is None:
        raise gr.Error(f"The pipeline is one of {', '.join(PIPELINES)}.")
    try:
        floors, floors_name = floors_for(floors_choice, path, bool(uploaded))
    except FloorsError as exc:
        raise gr.Error(str(exc)) from None
    try:
        report = run_eval(
            assistant,
            path,
            pipeline=chosen,
            progress=lambda done, total, label: progress(done / max(total, 1), desc=label),
        )
    except SetError as exc:
        problems = "; ".join(exc.problems[:5]).replace(str(path), path.name)
        raise gr.Error(f"The question set does not fit the schema: {problems}") from None
    except EvalError as exc:
        raise gr.Error(f"The run failed: {str(exc).replace(str(path), path.name)}") from None
    shown = _shown_report(report, {str(path): path.name})
    files = write_reports(shown, export_dir(assistant.settings, "eval"))
    return shown, files, floors, floors_name


class EvaluateTab:
    """The Evaluate tab's components and its one handler."""

    def __init__(self, assistant: Assistant):
        self.assistant = assistant

    def build(self) -> None:
        """Components and events, inside an open gr.Tab."""
        gr.Markdown(
            "Run a scripted question set against the current index (schema: `docs/evaluation.md`). "
            "The summary compares the project with the baseline and checks the floors."
        )
        with gr.Row():
            picked = gr.Dropdown(choices=shipped_sets(), value=None, label="Question set", elem_id="eval-set")
            uploaded = gr.File(
                label="…or upload a set (YAML)",
                file_types=[".yaml", ".yml"],
                type="filepath",
                elem_id="eval-upload",
                height=110,
            )
        with gr.Row():
            pipeline = gr.Radio(list(PIPELINES), value="both", label="Pipelines", elem_id="eval-pipeline")
            floors = gr.Dropdown(
                choices=[FLOORS_BESIDE, NO_FLOORS, *shipped_floors()],
                value=FLOORS_BESIDE,
                label="Floors",
                elem_id="eval-floors",
            )
        run = gr.Button("Run evaluation", variant="primary", elem_id="eval-run")
        note = gr.HTML("", elem_id="eval-note", js_on_load=None)
        with gr.Row(elem_id="eval-downloads", visible=False) as downloads:  # until there is a report
            files = [
                gr.DownloadButton(label, size="sm", elem_id=f"eval-download-{suffix}") for label, suffix in REPORT_FILES
            ]
        summary = gr.HTML("", elem_id="eval-summary", js_on_load=None)
        items = gr.HTML("", elem_id="eval-items", js_on_load=asset("evaluate.js"))
        run.click(
            self.run,
            [picked, uploaded, pipeline, floors],
            [note, downloads, *files, summary, items, uploaded],
            concurrency_limit=1,
            concurrency_id="evaluate",
            show_progress="full",
            show_progress_on=[summary],
            api_visibility="undocumented",
        )

    def run(
        self,
        picked: str | None,
        uploaded: str | None,
        pipeline: str,
        floors: str | None,
        progress: gr.Progress = PROGRESS,
    ) -> tuple:
        try:
            report, written, applied, name = evaluate(self.assistant, picked, uploaded, pipeline, floors, progress)
        except gr.Error as exc:  # beside the set picker, not over the page
            note = f'<p class="field-error" role="alert">{esc(exc.message)}</p>'
            return (note, *(gr.skip(),) * (len(REPORT_FILES) + 3), None)
        finally:
            if uploaded:
                discard_temporary([uploaded])
        by_suffix = {p.suffix.lstrip("."): p for p in written}
        return (
            "",
            gr.Row(visible=True),
            *(gr.DownloadButton(value=str(by_suffix[suffix])) for _, suffix in REPORT_FILES),
            summary_html(report, applied, name),
            items_html(report),
            None,
        )


def build(ctx: WebContext) -> None:
    """The tab as a `TabBuilder`: ("Evaluate", build)."""
    EvaluateTab(ctx.assistant).build()
