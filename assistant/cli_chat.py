"""`assistant chat`: an interactive terminal conversation over the same Assistant.ask."""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import Annotated

import typer

from assistant.settings import Settings

HELP = """Commands:
  /sources            the sources of the last answer, in full
  /filter             show the filters in force
  /filter force=Gwent doc_type="board paper" since=2019-01-01 until=2019-12-31
  /filter clear       remove all filters
  /reset              start a new conversation
  /help, /quit"""


def parse_filter(args: str, current):
    """Apply `/filter key=value ...` to the current Filters; raises ValueError with a sentence."""
    from datetime import date

    from assistant.types import Filters
    from ingest.forces import normalise_force

    if args.strip() == "clear":
        return Filters()
    update: dict = {}
    for part in shlex.split(args):
        key, _, value = part.partition("=")
        if key == "force":
            force = normalise_force(value)
            if force is None:
                raise ValueError(f"unknown force '{value}'")
            update.setdefault("forces", []).append(force)
        elif key == "doc_type":
            update.setdefault("doc_types", []).append(value)
        elif key in ("since", "until"):
            try:
                update[key] = date.fromisoformat(value)
            except ValueError:
                raise ValueError(f"{key} must be a date like 2019-05-14") from None
        else:
            raise ValueError(f"unknown filter '{key}' (use force, doc_type, since, until)")
    return current.model_copy(update=update)


def register(app: typer.Typer) -> None:
    @app.command()
    def chat(
        ctx: typer.Context,
        llm: Annotated[str | None, typer.Option(help="LangChain chat model \\[env ASSISTANT_LLM]")] = None,
    ) -> None:
        """Talk to the assistant in the terminal (history with the arrow keys; /help)."""
        import readline

        from assistant.cli import Failed, out, print_answer
        from assistant.core import Assistant, Conversation
        from assistant.types import Filters

        settings: Settings = ctx.obj.with_overrides(llm=llm)
        history = Path(settings.index_dir) / "chat_history"
        try:
            readline.read_history_file(history)
        except OSError:
            pass
        assistant, conversation, filters, last = Assistant(settings), Conversation(), Filters(), None
        out.print(f"Answerer: {assistant.answerer_name}. Ask a question; /help for commands, /quit to leave.")
        while True:
            try:
                line = input("› ").strip()
            except (EOFError, KeyboardInterrupt):
                out.print()
                break
            if not line:
                continue
            if line in ("/quit", "/exit"):
                break
            if line == "/help":
                out.print(HELP, highlight=False)
            elif line == "/reset":
                conversation.reset()
                out.print("New conversation.")
            elif line == "/sources":
                for c in last.citations if last else []:
                    out.print(f"[{c.n}] {c.source} p.{c.page} chars {c.start}-{c.end}\n    {c.quote}", highlight=False)
            elif line.startswith("/filter"):
                try:
                    if line.strip() != "/filter":
                        filters = parse_filter(line[len("/filter") :], filters)
                    out.print(f"Filters: {filters.describe() or 'none'}")
                except ValueError as exc:
                    out.print(f"[red]{exc}[/red]")
            elif line.startswith("/"):
                out.print(f"Unknown command {line.split()[0]}; /help lists them.")
            else:
                try:
                    last = assistant.ask(line, conversation, filters)
                except Exception as exc:  # one bad turn must not end the session
                    raise Failed(str(exc)) from exc
                print_answer(last)
        try:
            history.parent.mkdir(parents=True, exist_ok=True)
            readline.write_history_file(history)
        except OSError:
            pass
