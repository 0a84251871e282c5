"""`assistant serve`: the web chat. Kept apart from cli.py so that `cli.py` stays free of Gradio
imports; `register(app)` adds the command."""

from __future__ import annotations

from typing import Annotated

import typer

from assistant.settings import Settings

# "\\[" keeps rich (typer's help renderer) from reading "[env …]" as markup and dropping it.
HOST_HELP = "Interface to bind (default 127.0.0.1) \\[env ASSISTANT_HOST]"
PORT_HELP = "Port (default 7860) \\[env ASSISTANT_PORT]"


def register(app: typer.Typer) -> None:
    """Add the `serve` command to the CLI `app`."""

    @app.command()
    def serve(
        ctx: typer.Context,
        host: Annotated[str | None, typer.Option(help=HOST_HELP)] = None,
        port: Annotated[int | None, typer.Option(help=PORT_HELP)] = None,
    ) -> None:
        """Serve the web chat (default http://127.0.0.1:7860) with the `ask` API endpoint."""
        from assistant.web import parse_auth
        from assistant.web import serve as run

        settings: Settings = ctx.obj.with_overrides(host=host, port=port)
        try:
            parse_auth(settings.auth)
        except ValueError as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(1) from None
        if port is not None and not 1 <= port <= 65535:
            typer.echo("error: --port must be between 1 and 65535", err=True)
            raise typer.Exit(1)
        try:
            run(settings)
        except OSError as exc:  # the port is taken, or the host is not an address of this machine
            typer.echo(f"error: cannot serve on {settings.host}:{settings.port} ({exc}); try another --port", err=True)
            raise typer.Exit(1) from None
