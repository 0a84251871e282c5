"""`assistant eval`: run question sets, write reports, compare runs, gate on floors.

Like every command it parses options, calls the library (`assistant.evaluation`) and prints.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated, cast

import typer
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from assistant.cli.output import UserError, err, out
from assistant.core import USER_ERRORS, Assistant
from assistant.evaluation import (
    EvalError,
    FloorsError,
    Report,
    ReportUnreadable,
    SetError,
    below_floors,
    diff_reports,
    load_floors,
    load_report,
    run_eval,
    write_reports,
)
from assistant.evaluation.judge import Judge, JudgeError
from assistant.evaluation.render import markdown_diff
from assistant.evaluation.runner import Pipeline
from assistant.evaluation.terminal import print_diff, print_report
from assistant.filters import parse_filter_specs
from assistant.settings import Settings
from assistant.types import Filters


class PipelineChoice(StrEnum):
    project = "project"
    baseline = "baseline"
    both = "both"


def _progress_bar(enabled: bool) -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
        disable=not enabled,
    )


def compare_reports(old_path: Path, new_path: Path, as_json: bool, out_dir: Path | None) -> None:
    """`eval --compare OLD.json NEW.json`: what changed between two runs."""
    try:
        old, new = load_report(old_path), load_report(new_path)
    except ReportUnreadable as exc:
        raise UserError(str(exc)) from None
    diff = diff_reports(old, new, str(old_path), str(new_path))
    if as_json:
        print(diff.model_dump_json(indent=2))
    else:
        print_diff(diff, out)
    if out_dir:
        out_dir.mkdir(parents=True, exist_ok=True)
        (out_dir / "compare.json").write_text(diff.model_dump_json(indent=2), encoding="utf-8")
        (out_dir / "compare.md").write_text("\n".join(markdown_diff(diff)), encoding="utf-8")


def eval_command(
    ctx: typer.Context,
    files: Annotated[list[Path] | None, typer.Argument(help="Question sets (evals/*.yaml)", show_default=False)] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object (overall + per item)")] = False,
    out_dir: Annotated[Path | None, typer.Option("--out", help="Write report.md/.html/.json/.png here")] = None,
    k: Annotated[int | None, typer.Option("-k", min=1, help="Passages to retrieve (recall@k uses it too)")] = None,
    llm: Annotated[
        str | None, typer.Option(help="LangChain chat model for the project answerer (env ASSISTANT_LLM)")
    ] = None,
    filter_specs: Annotated[
        list[str] | None,
        typer.Option(
            "--filter",
            help="Applied to every question: force=NAME, doc_type=TYPE, since=/until=DATE (repeatable)",
        ),
    ] = None,
    pipeline: Annotated[
        PipelineChoice, typer.Option(help="project, the LangChain-tutorial baseline, or both side by side")
    ] = PipelineChoice.project,
    compare: Annotated[
        tuple[Path, Path] | None,
        typer.Option(metavar="OLD.json NEW.json", help="Compare two report.json files instead of running"),
    ] = None,
    baseline: Annotated[
        Path | None, typer.Option(metavar="OLD.json", help="Compare this run with an earlier report.json")
    ] = None,
    floors: Annotated[Path | None, typer.Option(help="YAML {metric: minimum}; exit 1 if any is not reached")] = None,
    judge: Annotated[str | None, typer.Option(help="LLM-as-judge model spec (off by default; not for CI)")] = None,
) -> None:
    """Run question sets and score them (recall@k, MRR, facts, forces, abstention, citations,
    latency); or --compare two reports. Exit 1 on a malformed set, a failed run, a set that
    could not be scored, or a metric below --floors."""
    if compare:
        if files:
            raise UserError("give question sets to run, or --compare OLD.json NEW.json, not both")
        compare_reports(compare[0], compare[1], as_json, out_dir)
        return
    if not files:
        raise UserError("give a question set to run, e.g. `assistant eval evals/questions.yaml`")

    try:
        filters = parse_filter_specs(filter_specs or [])
        gate = load_floors(floors) if floors else {}
        previous = load_report(baseline) if baseline else None
        judge_model = Judge.from_spec(judge, ctx.obj.llm_base_url) if judge else None
    except (ValueError, FloorsError, ReportUnreadable, JudgeError) as exc:  # ValueError: FilterError
        raise UserError(str(exc)) from None

    report = _run(
        ctx.obj.with_overrides(llm=llm),
        files,
        cast(Pipeline, pipeline.value),
        k,
        filters,
        judge_model,
        previous,
        str(baseline) if baseline else "",
        show_progress=err.is_terminal,
    )
    _print_outcome(report, gate, as_json, out_dir)


def _print_outcome(report: Report, gate: dict[str, float], as_json: bool, out_dir: Path | None) -> None:
    """The report (JSON or tables), the files written, then what failed: exit 1 if anything did."""
    if as_json:
        print(report.model_dump_json())
    else:
        print_report(report, out)
    if out_dir:
        written = write_reports(report, out_dir)
        err.print(escape("wrote " + ", ".join(str(p) for p in written)), highlight=False, soft_wrap=True)
    failures = below_floors(report, gate) if gate else []
    for line in failures:
        err.print(f"[red]below floor:[/red] {escape(line)}", highlight=False, soft_wrap=True)
    for line in report.errors:
        err.print(f"[red]not scored:[/red] {escape(line)}", highlight=False, soft_wrap=True)
    if failures or report.errors:
        raise typer.Exit(1)


def _run(
    settings: Settings,
    files: list[Path],
    pipeline: Pipeline,
    k: int | None,
    filters: Filters,
    judge: Judge | None,
    previous: Report | None,
    previous_name: str,
    *,
    show_progress: bool,
) -> Report:
    """run_eval with a progress bar; every error a user can act on becomes one message."""
    assistant = Assistant(settings)
    with _progress_bar(show_progress) as bar:
        task = bar.add_task("evaluating", total=None)

        def progress(done: int, total: int, label: str) -> None:
            bar.update(task, completed=done, total=total, description=label)

        try:
            return run_eval(
                assistant,
                files,
                pipeline=pipeline,
                k=k,
                filters=filters,
                judge=judge,
                progress=progress,
                previous=previous,
                previous_name=previous_name,
            )
        except SetError as exc:
            bar.stop()
            for problem in exc.problems:
                err.print(f"[red]error:[/red] {escape(problem)}", highlight=False, soft_wrap=True)
            raise typer.Exit(1) from None
        except (EvalError, JudgeError) as exc:
            raise UserError(str(exc)) from None
        except USER_ERRORS as exc:  # busy index, unreachable server, missing model
            raise UserError(str(exc)) from None
