"""`assistant compare`: the topic × force status matrix in the terminal, or as JSON, CSV or
Markdown. It parses options, calls `assistant.compare.compare` and prints."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from assistant.cli.output import UserError, filter_error, guard, out
from assistant.compare import STATUS_LABEL, TopicsError, cell_map, load_topics, to_csv, to_markdown
from assistant.compare import compare as compare_topics
from assistant.core import Assistant
from assistant.filters import FilterError, parse_filters
from assistant.types import CompareCell, Comparison

STATUS_STYLE = {
    "done": "bold green",
    "in_progress": "yellow",
    "planned": "cyan",
    "declined": "magenta",
    "not_mentioned": "dim",
}


def _forces(names: list[str] | None) -> list[str] | None:
    if not names:
        return None
    try:
        return parse_filters(forces=names).forces
    except FilterError as exc:
        raise filter_error(exc) from None


def _topics(topics: list[str] | None, topics_file: Path | None) -> tuple[list[str], dict[str, list[str]]]:
    names = [" ".join(t.split()) for t in topics or [] if t.strip()]
    synonyms: dict[str, list[str]] = {}
    if topics_file is not None:
        try:
            loaded = load_topics(topics_file)
        except TopicsError as exc:
            raise UserError(str(exc)) from None
        for t in loaded:
            names.append(t.topic)
            synonyms[t.topic] = list(t.synonyms)
    names = list(dict.fromkeys(names))
    if not names:
        raise UserError(
            'give at least one topic, e.g. compare "audited how breaches of orders are recorded", or --topics FILE.yaml'
        )
    return names, synonyms


def _cell_text(cell: CompareCell | None) -> Text | str:
    if cell is None:
        return ""
    text = Text(STATUS_LABEL[cell.status], style=STATUS_STYLE[cell.status.value])
    if cell.date:
        text.append(f"\n{cell.date}", style="dim")
    if cell.citations:
        text.append(" " + "".join(f"[{c.n}]" for c in cell.citations), style="bold")
    return text


def render(comparison: Comparison) -> None:
    """The matrix as a rich table (forces as rows, topics as columns) and the cited passages.
    Topics, forces, titles and quotes are user or document text: Text objects or escaped."""
    cells = cell_map(comparison)
    numbered = len(comparison.topics) > 2
    table = Table(show_lines=True, title="Status per force and topic")
    table.add_column("force", style="bold")
    for i, topic in enumerate(comparison.topics, 1):
        table.add_column(f"T{i}" if numbered else Text(topic), overflow="fold")
    for force in comparison.forces:
        table.add_row(Text(force), *(_cell_text(cells.get((topic, force))) for topic in comparison.topics))
    out.print(table)
    if numbered:
        for i, topic in enumerate(comparison.topics, 1):
            out.print(f"[bold]T{i}[/bold] {escape(topic)}", highlight=False)
    for ti, topic in enumerate(comparison.topics, 1):
        for force in comparison.forces:
            cell = cells.get((topic, force))
            if cell is None or not cell.citations:
                continue
            out.print(
                f"\n[bold]{escape(force)}[/bold] · {f'T{ti}' if numbered else escape(topic)}: "
                f"[{STATUS_STYLE[cell.status.value]}]{STATUS_LABEL[cell.status]}[/]",
                highlight=False,
            )
            for c in cell.citations:
                source = escape(f"{c.title or c.source} · p.{c.page}")
                out.print(f"  [bold]{escape(f'[{c.n}]')}[/bold] {source}\n      “{escape(c.quote)}”", highlight=False)
    counts: dict[str, int] = {}
    for cell in comparison.cells:
        counts[STATUS_LABEL[cell.status]] = counts.get(STATUS_LABEL[cell.status], 0) + 1
    out.print("\n" + ", ".join(f"{n} {label}" for label, n in counts.items()), highlight=False)


def _chat_model(assistant: Assistant):
    """The chat model of `--llm` (the generative answerer's own), or a UserError saying why not."""
    try:
        return getattr(assistant.answerer, "model", None)
    except Exception as exc:  # LangChain raises what it likes for an unknown provider or missing key
        raise UserError(f"cannot load the chat model '{assistant.settings.llm}': {exc}") from None


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
        typer.Option(help="Classify statuses with this LangChain chat model (verified; default: the cue classifier)"),
    ] = None,
) -> None:
    """Compare forces on topics: done, in progress, planned, declined or not mentioned, with
    the passages that prove each status (the latest document that speaks decides)."""
    if sum((as_json, as_csv, as_md)) > 1:
        raise UserError("choose one of --json, --csv and --md")
    names, synonyms = _topics(topics, topics_file)
    forces = _forces(force)
    assistant = Assistant(ctx.obj.with_overrides(llm=llm))
    if guard(assistant.chunk_count) == 0:
        raise UserError("the index is empty: ingest documents first (`assistant ingest`)")
    model = _chat_model(assistant) if llm else None
    comparison = guard(compare_topics, assistant, names, forces, synonyms, model=model)
    if as_json:
        print(comparison.model_dump_json())
    elif as_csv:
        print(to_csv(comparison), end="")
    elif as_md:
        print(to_markdown(comparison), end="")
    else:
        render(comparison)
