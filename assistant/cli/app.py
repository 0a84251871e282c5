"""The command line's typer app: global options (`configure`), every command, `main()`.

Each command lives in its own module of this package and only parses options, calls the
library (`assistant.core.Assistant`, `assistant.filters`, `assistant.compare`,
`assistant.evaluation`) and prints through `assistant.cli.output`.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Annotated

import typer

from assistant.cli.ask import ask
from assistant.cli.bench import bench
from assistant.cli.chat import chat
from assistant.cli.compare import compare
from assistant.cli.eval import eval_command
from assistant.cli.ingest import ingest
from assistant.cli.serve import serve
from assistant.cli.status import status
from assistant.settings import Settings

__all__ = ["app", "configure", "main"]

app = typer.Typer(
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    help="Chat assistant over police responses to inspection reports.",
)


@app.callback()
def configure(
    ctx: typer.Context,
    corpus_dir: Annotated[Path | None, typer.Option(help="Corpus directory \\[env ASSISTANT_CORPUS_DIR]")] = None,
    index_dir: Annotated[Path | None, typer.Option(help="Index directory \\[env ASSISTANT_INDEX_DIR]")] = None,
    chroma_host: Annotated[str | None, typer.Option(help="Use a Chroma server \\[env ASSISTANT_CHROMA_HOST]")] = None,
    chroma_port: Annotated[int | None, typer.Option(help="Chroma server port \\[env ASSISTANT_CHROMA_PORT]")] = None,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log details to stderr")] = False,
) -> None:
    """Global options: they build the Settings every command reads from `ctx.obj`."""
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        stream=sys.stderr,
        format="%(levelname)s %(name)s: %(message)s",
    )
    ctx.obj = Settings().with_overrides(
        corpus_dir=corpus_dir, index_dir=index_dir, chroma_host=chroma_host, chroma_port=chroma_port
    )


# In the order `--help` lists them.
app.command("ingest")(ingest)
app.command("status")(status)
app.command("ask")(ask)
app.command("chat")(chat)
app.command("compare")(compare)
app.command("eval")(eval_command)
app.command("serve")(serve)
app.command("bench")(bench)


def main() -> None:
    app()
