"""The command line (`assistant ...`, `python -m assistant ...`): `app.py` holds the typer app
and its global options, `output.py` what is printed and the one user error, and each command
has its own module (ingest, status, ask, chat, compare, eval, serve, bench)."""

from assistant.cli.app import app, configure, main

__all__ = ["app", "configure", "main"]
