"""`assistant compare`: the topic × force status matrix in the terminal, or as JSON, CSV or
Markdown. Registered on the main app by `register(app)`; it parses options, calls
`assistant.compare.compare` and prints."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

out = Console()
err = Console(stderr=True)

STATUS_STYLE = {
    "done": "bold green",
    "in_progress": "yellow",
    "planned": "cyan",
    "declined": "magenta",
    "not_mentioned": "dim",
}


class _Failed(typer.Exit):
    """A user-facing error: one sentence on stderr, exit status 1."""

    def __init__(self, message: str):
        err.print(f"[red]error:[/red] {message}", highlight=False, soft_wrap=True)
        super().__init__(1)


def _forces(names: list[str] | None) -> list[str] | None:
    from ingest.forces import normalise_force

    if not names:
        return None
    forces = []
    for name in names:
        canonical = normalise_force(name)
        if canonical is None:
            raise _Failed(f"unknown force '{name}' (use a name such as 'Gwent' or 'Devon and Cornwall')")
        forces.append(canonical)
    return forces


def _topics(topics: list[str] | None, topics_file: Path | None) -> tuple[list[str], dict[str, list[str]]]:
    from assistant.compare import TopicsError, load_topics

    names = [" ".join(t.split()) for t in topics or [] if t.strip()]
    synonyms: dict[str, list[str]] = {}
    if topics_file is not None:
        try:
            loaded = load_topics(topics_file)
        except TopicsError as exc:
            raise _Failed(str(exc)) from None
        for t in loaded:
            names.append(t.topic)
            synonyms[t.topic] = list(t.synonyms)
    names = list(dict.fromkeys(names))
    if not names:
        raise _Failed(
            'give at least one topic, e.g. compare "audited how breaches of orders are recorded", or --topics FILE.yaml'
        )
    return names, synonyms


def render(comparison) -> None:
    """The matrix as a rich table (forces as rows, topics as columns) and the cited passages."""
    from assistant.compare import STATUS_LABEL, cell_map

    cells = cell_map(comparison)
    numbered = len(comparison.topics) > 2
    table = Table(show_lines=True, title="Status per force and topic")
    table.add_column("force", style="bold")
    for i, topic in enumerate(comparison.topics, 1):
        table.add_column(f"T{i}" if numbered else topic, overflow="fold")
    for force in comparison.forces:
        row = [force]
        for topic in comparison.topics:
            cell = cells.get((topic, force))
            if cell is None:
                row.append("")
                continue
            text = Text(STATUS_LABEL[cell.status], style=STATUS_STYLE[cell.status.value])
            if cell.date:
                text.append(f"\n{cell.date}", style="dim")
            if cell.citations:
                text.append(" " + "".join(f"[{c.n}]" for c in cell.citations), style="bold")
            row.append(text)
        table.add_row(*row)
    out.print(table)
    if numbered:
        for i, topic in enumerate(comparison.topics, 1):
            out.print(f"[bold]T{i}[/bold] {topic}", highlight=False)
    for ti, topic in enumerate(comparison.topics, 1):
        for force in comparison.forces:
            cell = cells.get((topic, force))
            if cell is None or not cell.citations:
                continue
            out.print(
                f"\n[bold]{force}[/bold] · {f'T{ti}' if numbered else topic}: "
                f"[{STATUS_STYLE[cell.status.value]}]{STATUS_LABEL[cell.status]}[/]",
                highlight=False,
            )
            for c in cell.citations:
                out.print(
                    f"  [bold][{c.n}][/bold] {c.title or c.source} · p.{c.page}\n      “{c.quote}”", highlight=False
                )
    counts: dict[str, int] = {}
    for cell in comparison.cells:
        counts[STATUS_LABEL[cell.status]] = counts.get(STATUS_LABEL[cell.status], 0) + 1
    out.print("\n" + ", ".join(f"{n} {label}" for label, n in counts.items()), highlight=False)


def register(app: typer.Typer) -> None:
    """Add the `compare` command to the CLI `app`."""

    @app.command()
    def compare(
        ctx: typer.Context,
        topics: Annotated[
            list[str] | None, typer.Argument(help='Topics, e.g. "audited how breaches of orders are recorded"')
        ] = None,
        topics_file: Annotated[
            Path | None, typer.Option("--topics", help="YAML list of topics with synonyms (e.g. evals/topics.yaml)")
        ] = None,
        force: Annotated[list[str] | None, typer.Option("--force", help="Only this force (repeatable)")] = None,
        as_json: Annotated[bool, typer.Option("--json", help="Print the matrix as one JSON object")] = False,
        as_csv: Annotated[bool, typer.Option("--csv", help="Print one CSV row per cell")] = False,
        as_md: Annotated[bool, typer.Option("--md", help="Print a Markdown table and its sources")] = False,
        llm: Annotated[
            str | None,
            typer.Option(
                help="Classify statuses with this LangChain chat model (verified; default: the cue classifier)"
            ),
        ] = None,
    ) -> None:
        """Compare forces on topics: done, in progress, planned, declined or not mentioned, with
        the passages that prove each status (the latest document that speaks decides)."""
        from assistant.compare import compare as run
        from assistant.compare import to_csv, to_markdown
        from assistant.core import Assistant
        from ingest.embed import ModelMissing
        from ingest.store import IndexBusy, IndexUnavailable

        if sum((as_json, as_csv, as_md)) > 1:
            raise _Failed("choose one of --json, --csv and --md")
        names, synonyms = _topics(topics, topics_file)
        forces = _forces(force)
        try:
            settings = ctx.obj.with_overrides(llm=llm)
            assistant = Assistant(settings)
            if assistant.index.stats()["chunks"] == 0:
                raise _Failed("the index is empty: ingest documents first (`assistant ingest`)")
            model = None
            if llm:
                from assistant.generative import make_chat_model

                model = make_chat_model(settings)
            comparison = run(assistant, names, forces, synonyms, model=model)
        except (IndexBusy, IndexUnavailable, ModelMissing) as exc:
            raise _Failed(str(exc)) from None
        if as_json:
            print(comparison.model_dump_json())
        elif as_csv:
            print(to_csv(comparison), end="")
        elif as_md:
            print(to_markdown(comparison), end="")
        else:
            render(comparison)
