"""`assistant serve`: the web chat, indexing the corpus in the background when needed."""

from __future__ import annotations

from typing import Annotated

import typer

from assistant.cli.output import UserError
from assistant.settings import Settings

# "\\[" keeps rich (typer's help renderer) from reading "[env …]" as markup and dropping it.
HOST_HELP = "Interface to bind (default 127.0.0.1) \\[env ASSISTANT_HOST]"
PORT_HELP = "Port (default 7860) \\[env ASSISTANT_PORT]"


def serve(
    ctx: typer.Context,
    host: Annotated[str | None, typer.Option(help=HOST_HELP)] = None,
    port: Annotated[int | None, typer.Option(help=PORT_HELP)] = None,
) -> None:
    """Serve the web chat (default http://127.0.0.1:7860) with the `ask` API endpoint."""
    # Imported here, not at the top: the web package loads Gradio (seconds), which no other
    # command needs.
    from assistant.web import parse_auth
    from assistant.web import serve as run

    settings: Settings = ctx.obj.with_overrides(host=host, port=port)
    try:
        parse_auth(settings.auth)
    except ValueError as exc:
        raise UserError(str(exc)) from None
    if port is not None and not 1 <= port <= 65535:
        raise UserError("--port must be between 1 and 65535")
    try:
        run(settings)
    except OSError as exc:  # the port is taken, or the host is not an address of this machine
        raise UserError(f"cannot serve on {settings.host}:{settings.port} ({exc}); try another --port") from None
