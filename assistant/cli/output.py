"""What the command line prints, and how it fails.

`out` and `err` are the two consoles. Text that comes from a user or a document (questions,
answers, quotes, titles, topics, paths) is printed escaped, never as markup or Markdown, so
`[bold]` or `<script>` in a question prints as typed. `UserError` is the one user-facing
error: a sentence on stderr and exit status 1. `guard(fn, ...)` turns the errors a user can
act on into that sentence.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from typing import ParamSpec, TypeVar

import typer
from rich.console import Console
from rich.markup import escape

from assistant.core import USER_ERRORS
from assistant.filters import FilterError
from assistant.types import Answer

__all__ = ["ECHO_CHARS", "UserError", "echoed", "err", "filter_error", "guard", "out", "print_answer"]

# emoji=False: ":warning:" in a question or a document is text, not an emoji.
out = Console(emoji=False)
err = Console(stderr=True, emoji=False)

# The most of a question the command line echoes: what Assistant.ask keeps of a question it refuses.
ECHO_CHARS = 200

P = ParamSpec("P")
R = TypeVar("R")
log = logging.getLogger(__name__)


class UserError(typer.Exit):
    """An error the user can act on: "error: <sentence>" on stderr, then exit status `code` (1)."""

    def __init__(self, message: str, code: int = 1):
        err.print(f"[red]error:[/red] {escape(message)}", highlight=False, soft_wrap=True)
        super().__init__(code)


def filter_error(exc: FilterError) -> UserError:
    """A filter the user gave that cannot be used; the message names the field."""
    message = str(exc)
    return UserError(message[:1].lower() + message[1:])


def guard(fn: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> R:
    """Run `fn`, turning the errors a user can act on into one sentence (UserError)."""
    try:
        return fn(*args, **kwargs)
    except USER_ERRORS as exc:  # busy index, unreachable server, missing model
        raise UserError(str(exc)) from None
    except (OSError, sqlite3.Error) as exc:  # disk full, permissions, a damaged manifest
        log.debug("storage error", exc_info=True)
        why = getattr(exc, "strerror", None) or str(exc)
        raise UserError(
            f"the index could not be written ({why}); the previous index is intact. "
            "Free some disk space (or fix permissions) and run the command again."
        ) from None


def echoed(answer: Answer) -> Answer:
    """`answer` echoing at most ECHO_CHARS of its question, in its `question` field and in its
    text (an abstention quotes the question)."""
    if len(answer.question) <= ECHO_CHARS:
        return answer
    short = answer.question[:ECHO_CHARS]
    text = answer.answer.replace(answer.question, short + "…")
    return answer.model_copy(update={"question": short, "answer": text})


def print_answer(answer: Answer) -> None:
    """The answer as plain text (it quotes documents and the question), then its numbered sources."""
    answer = echoed(answer)
    out.print(escape(answer.answer), highlight=False)
    for c in answer.citations:
        source = escape(f"{c.force or '?'} · {c.title} · p.{c.page}")
        out.print(f"[bold]{escape(f'[{c.n}]')}[/bold] {source}\n    “{escape(c.quote)}”", highlight=False)
