"""`assistant ingest`: index files or directories (default: the corpus dir)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from assistant.cli.output import err, guard, out
from assistant.core import Assistant


def ingest(
    ctx: typer.Context,
    paths: Annotated[list[Path] | None, typer.Argument(help="Files or directories (default: the corpus dir)")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON summary")] = False,
    rebuild: Annotated[bool, typer.Option(help="Start the index over")] = False,
    prune: Annotated[bool, typer.Option(help="Also remove indexed files that no longer exist anywhere")] = False,
    wait: Annotated[float, typer.Option(help="Seconds to wait for another writer")] = 0,
) -> None:
    """Ingest files into the index. Exit 0: all ingested; 2: some failed; 1: fatal error."""
    assistant = Assistant(ctx.obj)
    report = guard(
        assistant.ingest,
        paths,
        rebuild=rebuild,
        prune=prune,
        show_progress=not as_json and err.is_terminal,
        wait=wait,
    )
    if report.reembedded_from:  # on stderr with --json: stdout holds the contract's one line
        (err if as_json else out).print(
            f"re-embedded the {report.reembedded} chunks already indexed: they had been embedded by "
            f"{escape(report.reembedded_from)}, the index now holds vectors by {escape(report.encoder)}"
        )
    if as_json:
        print(report.model_dump_json())
    else:
        out.print(
            f"{report.added} added, {report.updated} updated, {report.unchanged} unchanged, "
            f"{report.removed} removed; {report.embedded} embeddings computed; "
            f"{report.documents} documents, {report.chunks} chunks in {report.seconds:.1f} s"
        )
        for failure in report.failed:  # one line each, however wide
            err.print(
                f"[yellow]skipped[/yellow] {escape(str(failure.path))}: {escape(failure.reason)}",
                highlight=False,
                soft_wrap=True,
            )
    if report.failed:
        raise typer.Exit(2)
