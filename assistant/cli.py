"""The command line: thin commands that parse options, call the library and print."""

from __future__ import annotations

import logging
import sqlite3
import sys
from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from assistant.settings import Settings

app = typer.Typer(
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    help="Chat assistant over police responses to inspection reports.",
)
out = Console()
err = Console(stderr=True)


class Failed(typer.Exit):
    """A user-facing error: one sentence on stderr, exit status 1."""

    def __init__(self, message: str, code: int = 1):
        err.print(f"[red]error:[/red] {message}", highlight=False)
        super().__init__(code)


@app.callback()
def configure(
    ctx: typer.Context,
    corpus_dir: Annotated[Path | None, typer.Option(help="Corpus directory \\[env ASSISTANT_CORPUS_DIR]")] = None,
    index_dir: Annotated[Path | None, typer.Option(help="Index directory \\[env ASSISTANT_INDEX_DIR]")] = None,
    chroma_host: Annotated[
        str | None, typer.Option(help="Use a Chroma server \\[env ASSISTANT_CHROMA_HOST]")
    ] = None,
    chroma_port: Annotated[int | None, typer.Option(help="Chroma server port \\[env ASSISTANT_CHROMA_PORT]")] = None,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log details to stderr")] = False,
) -> None:
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        stream=sys.stderr,
        format="%(levelname)s %(name)s: %(message)s",
    )
    ctx.obj = Settings().with_overrides(
        corpus_dir=corpus_dir, index_dir=index_dir, chroma_host=chroma_host, chroma_port=chroma_port
    )


def _guard(fn, *args, **kwargs):
    """Run `fn`, turning the errors a user can act on into one sentence."""
    from ingest.embed import ModelMissing
    from ingest.store import IndexBusy, IndexUnavailable

    try:
        return fn(*args, **kwargs)
    except (IndexBusy, IndexUnavailable, ModelMissing) as exc:
        raise Failed(str(exc)) from None
    except (OSError, sqlite3.Error) as exc:  # disk full, permissions, a damaged manifest
        logging.getLogger(__name__).debug("storage error", exc_info=True)
        why = getattr(exc, "strerror", None) or str(exc)
        raise Failed(
            f"the index could not be written ({why}); the previous index is intact. "
            "Free some disk space (or fix permissions) and run the command again."
        ) from None


@app.command()
def ingest(
    ctx: typer.Context,
    paths: Annotated[
        list[Path] | None, typer.Argument(help="Files or directories (default: the corpus dir)")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON summary")] = False,
    rebuild: Annotated[bool, typer.Option(help="Start the index over")] = False,
    prune: Annotated[bool, typer.Option(help="Also remove indexed files that no longer exist anywhere")] = False,
    wait: Annotated[float, typer.Option(help="Seconds to wait for another writer")] = 0,
) -> None:
    """Ingest files into the index. Exit 0: all ingested; 2: some failed; 1: fatal error."""
    from ingest.pipeline import ingest as run_ingest

    settings: Settings = ctx.obj
    report = _guard(
        run_ingest,
        settings,
        paths,
        rebuild=rebuild,
        prune=prune,
        show_progress=not as_json and err.is_terminal,
        wait=wait,
    )
    if as_json:
        print(report.model_dump_json())
    else:
        out.print(
            f"{report.added} added, {report.updated} updated, {report.unchanged} unchanged, "
            f"{report.removed} removed; {report.embedded} embeddings computed; "
            f"{report.documents} documents, {report.chunks} chunks in {report.seconds:.1f} s"
        )
        for failure in report.failed:
            err.print(f"[yellow]{failure.path}[/yellow]: {failure.reason}; skipped", highlight=False)
    if report.failed:
        raise typer.Exit(2)


@app.command()
def status(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON")] = False,
    check: Annotated[bool, typer.Option(help="Verify Chroma, keyword index and manifest agree")] = False,
    repair: Annotated[bool, typer.Option(help="With --check: fix what can be fixed")] = False,
) -> None:
    """Describe the index: documents with metadata, chunks, forces, model, location."""
    from assistant.status import describe_index

    settings: Settings = ctx.obj
    info = _guard(describe_index, settings, check=check or repair, repair=repair)
    if as_json:
        print(info.model_dump_json(indent=2))
    else:
        table = Table("document", "force", "type", "author", "date", "pages", "chunks", title=info.location)
        for d in info.documents:
            table.add_row(
                d.source,
                d.force or "?",
                d.doc_type,
                f"{d.author_name or ''} ({d.author_role or '?'})",
                d.date or "",
                str(d.pages),
                str(d.chunks),
            )
        out.print(table)
        out.print(f"{len(info.documents)} documents, {info.chunks} chunks; forces: {', '.join(info.forces) or 'none'}")
        out.print(f"model: {info.model}; store: {info.store}")
        for problem in info.problems:
            err.print(f"[red]problem:[/red] {problem}", highlight=False)
        if info.checked and not info.problems:
            out.print("check: manifest, vectors and keyword index agree")
    if info.problems and not repair:
        raise typer.Exit(1)


def _filters(force, doc_type, since, until):
    from assistant.types import Filters
    from ingest.forces import normalise_force

    forces = []
    for name in force or []:
        canonical = normalise_force(name)
        if canonical is None:
            raise Failed(f"unknown force '{name}' (use a name such as 'Gwent' or 'Devon and Cornwall')")
        forces.append(canonical)
    return Filters(
        forces=forces,
        doc_types=doc_type or [],
        since=since.date() if since else None,
        until=until.date() if until else None,
    )


def print_answer(answer) -> None:
    from rich.markdown import Markdown

    out.print(Markdown(answer.answer))
    for c in answer.citations:
        out.print(f"[bold][{c.n}][/bold] {c.force or '?'} · {c.title} · p.{c.page}\n    “{c.quote}”", highlight=False)


@app.command()
def ask(
    ctx: typer.Context,
    questions: Annotated[list[str], typer.Argument(help="A question, then any follow-ups")],
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per turn")] = False,
    force: Annotated[list[str] | None, typer.Option("--force", help="Only this force (repeatable)")] = None,
    doc_type: Annotated[list[str] | None, typer.Option("--doc-type", help="Only this document type")] = None,
    since: Annotated[datetime | None, typer.Option(formats=["%Y-%m-%d"], help="Documents dated on/after")] = None,
    until: Annotated[datetime | None, typer.Option(formats=["%Y-%m-%d"], help="Documents dated on/before")] = None,
    k: Annotated[int | None, typer.Option("-k", help="Passages to retrieve")] = None,
    llm: Annotated[
        str | None, typer.Option(help="LangChain chat model, e.g. ollama:llama3.1 \\[env ASSISTANT_LLM]")
    ] = None,
) -> None:
    """Ask questions as one conversation; prints answers with numbered, verified sources."""
    from assistant.core import Assistant, Conversation

    settings: Settings = ctx.obj.with_overrides(llm=llm)
    assistant = Assistant(settings)
    conversation = Conversation()
    filters = _filters(force, doc_type, since, until)
    for question in questions:
        answer = _guard(assistant.ask, question, conversation, filters, k)
        if as_json:
            print(answer.model_dump_json(), flush=True)
        else:
            print_answer(answer)


def _register_commands() -> None:
    """Commands that live in their own modules (one surface each)."""
    from assistant import cli_bench, cli_chat, cli_compare, cli_eval, cli_serve

    for module in (cli_chat, cli_serve, cli_eval, cli_compare, cli_bench):
        module.register(app)


_register_commands()


def main() -> None:
    app()
