"""`assistant eval`: run question sets, write reports, compare runs, gate on floors.

Registered on the main app by `register(app)`; like every command it parses options, calls
the library (assistant.evaluation) and prints.
"""

from __future__ import annotations

from datetime import date
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

out = Console()
err = Console(stderr=True)


class PipelineChoice(str, Enum):
    project = "project"
    baseline = "baseline"
    both = "both"


def _fail(message: str, code: int = 1) -> typer.Exit:
    err.print(f"[red]error:[/red] {message}", highlight=False, soft_wrap=True)
    return typer.Exit(code)


def parse_filters(specs: list[str]):
    """`force=Gwent`, `doc_type=board paper`, `since=2019-01-01`, `until=...` -> Filters.

    Raises ValueError with a sentence naming the bad filter.
    """
    from assistant.types import Filters
    from ingest.forces import normalise_force
    from ingest.types import DocType

    forces, doc_types, since, until = [], [], None, None
    types = {t.value.lower(): t.value for t in DocType}
    for spec in specs:
        key, sep, value = spec.partition("=")
        key, value = key.strip().replace("-", "_").lower(), value.strip()
        if not sep or not value:
            raise ValueError(f"--filter '{spec}': use KEY=VALUE, e.g. force=Gwent")
        if key == "force":
            canonical = normalise_force(value)
            if canonical is None:
                raise ValueError(f"--filter '{spec}': unknown force '{value}' (e.g. 'Gwent', 'Devon and Cornwall')")
            forces.append(canonical)
        elif key in ("doc_type", "type"):
            if value.lower() not in types:
                raise ValueError(f"--filter '{spec}': unknown document type (one of: {', '.join(types.values())})")
            doc_types.append(types[value.lower()])
        elif key in ("since", "until"):
            try:
                day = date.fromisoformat(value)
            except ValueError:
                raise ValueError(f"--filter '{spec}': dates are YYYY-MM-DD") from None
            since, until = (day, until) if key == "since" else (since, day)
        else:
            raise ValueError(f"--filter '{spec}': unknown key '{key}' (force, doc_type, since, until)")
    return Filters(forces=forces, doc_types=doc_types, since=since, until=until)


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


def eval_command(
    ctx: typer.Context,
    files: Annotated[
        list[Path] | None, typer.Argument(help="Question sets (evals/*.yaml)", show_default=False)
    ] = None,
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
            help="Applied to every question: force=NAME, doc_type=TYPE, since=/until=YYYY-MM-DD (repeatable)",
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
    from assistant.evaluation import (
        FloorsError,
        ReportUnreadable,
        below_floors,
        diff_reports,
        load_floors,
        load_report,
        write_reports,
    )
    from assistant.evaluation.judge import Judge, JudgeError
    from assistant.evaluation.render import markdown_diff
    from assistant.evaluation.terminal import print_diff, print_report

    if compare:
        if files:
            raise _fail("give question sets to run, or --compare OLD.json NEW.json, not both")
        try:
            old, new = load_report(compare[0]), load_report(compare[1])
        except ReportUnreadable as exc:
            raise _fail(str(exc)) from None
        diff = diff_reports(old, new, str(compare[0]), str(compare[1]))
        if as_json:
            print(diff.model_dump_json(indent=2))
        else:
            print_diff(diff, out)
        if out_dir:
            out_dir.mkdir(parents=True, exist_ok=True)
            (out_dir / "compare.json").write_text(diff.model_dump_json(indent=2), encoding="utf-8")
            (out_dir / "compare.md").write_text("\n".join(markdown_diff(diff)), encoding="utf-8")
        return
    if not files:
        raise _fail("give a question set to run, e.g. `assistant eval evals/questions.yaml`")

    try:
        filters = parse_filters(filter_specs or [])
        gate = load_floors(floors) if floors else {}
        previous = load_report(baseline) if baseline else None
        judge_model = Judge.from_spec(judge, ctx.obj.llm_base_url) if judge else None
    except (ValueError, FloorsError, ReportUnreadable, JudgeError) as exc:
        raise _fail(str(exc)) from None

    report = _run(
        ctx.obj.with_overrides(llm=llm),
        files,
        pipeline.value,
        k,
        filters,
        judge_model,
        previous,
        str(baseline) if baseline else "",
        show_progress=err.is_terminal,
    )

    if as_json:
        print(report.model_dump_json())
    else:
        print_report(report, out)
    if out_dir:
        written = write_reports(report, out_dir)
        err.print("wrote " + ", ".join(str(p) for p in written), highlight=False, soft_wrap=True)
    failures = below_floors(report, gate) if gate else []
    for line in failures:
        err.print(f"[red]below floor:[/red] {line}", highlight=False, soft_wrap=True)
    for line in report.errors:
        err.print(f"[red]not scored:[/red] {line}", highlight=False, soft_wrap=True)
    if failures or report.errors:
        raise typer.Exit(1)


def _run(settings, files, pipeline, k, filters, judge, previous, previous_name, *, show_progress):
    """run_eval with a progress bar; every error a user can act on becomes one message."""
    from assistant.core import Assistant
    from assistant.evaluation import EvalError, SetError, run_eval
    from assistant.evaluation.judge import JudgeError
    from ingest.embed import ModelMissing
    from ingest.store import IndexBusy, IndexUnavailable

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
                err.print(f"[red]error:[/red] {problem}", highlight=False, soft_wrap=True)
            raise typer.Exit(1) from None
        except (EvalError, JudgeError, IndexBusy, IndexUnavailable, ModelMissing) as exc:
            raise _fail(str(exc)) from None


def register(app: typer.Typer) -> None:
    """Add the `eval` command to the CLI app."""
    app.command("eval")(eval_command)
