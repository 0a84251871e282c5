"""`assistant status`: what the index holds, and with --check whether its stores agree."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from assistant.cli.output import err, guard, out
from assistant.core import Assistant


def status(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON")] = False,
    check: Annotated[bool, typer.Option(help="Verify Chroma, keyword index and manifest agree")] = False,
    repair: Annotated[bool, typer.Option(help="With --check: fix what can be fixed")] = False,
) -> None:
    """Describe the index: documents with metadata, chunks, forces, model, location."""
    info = guard(Assistant(ctx.obj).describe, check=check or repair, repair=repair)
    if as_json:
        print(info.model_dump_json(indent=2))
    else:
        # Document metadata is text from the documents: escaped, never read as markup.
        table = Table("document", "force", "type", "author", "date", "pages", "chunks", title=escape(info.location))
        for d in info.documents:
            table.add_row(
                escape(d.source),
                escape(d.force or "?"),
                escape(d.doc_type),
                escape(f"{d.author_name or ''} ({d.author_role or '?'})"),
                escape(d.date or ""),
                str(d.pages),
                str(d.chunks),
            )
        out.print(table)
        forces = escape(", ".join(info.forces) or "none")
        out.print(f"{len(info.documents)} documents, {info.chunks} chunks; forces: {forces}")
        out.print(f"model: {escape(info.model)}; store: {escape(info.store)}")
        if info.encoder:
            out.print(f"vectors by: {escape(info.encoder)}")
        if info.encoder_problem:
            err.print(f"[yellow]note:[/yellow] {escape(info.encoder_problem)}", highlight=False)
        for problem in info.problems:
            err.print(f"[red]problem:[/red] {escape(problem)}", highlight=False)
        if info.checked and not info.problems:
            out.print("check: manifest, vectors and keyword index agree")
    if info.problems and not repair:
        raise typer.Exit(1)
