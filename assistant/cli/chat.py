"""`assistant chat`: an interactive terminal conversation over the same Assistant.ask."""

from __future__ import annotations

import contextlib
import logging
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from assistant.cli.output import err, out, print_answer
from assistant.core import USER_ERRORS, Assistant, Conversation
from assistant.filters import parse_filter_specs
from assistant.settings import Settings
from assistant.types import Answer, Filters

HELP = """Commands:
  /sources            the sources of the last answer, in full
  /filter             show the filters in force
  /filter force=Gwent doc_type="board paper" since=2019-01-01 until=2019-12-31
  /filter clear       remove all filters
  /reset              start a new conversation
  /help, /quit"""

log = logging.getLogger(__name__)


class Session:
    """One terminal conversation: the assistant, the turns so far, the filters, the last answer."""

    def __init__(self, assistant: Assistant):
        self.assistant = assistant
        self.conversation = Conversation()
        self.filters = Filters()
        self.last: Answer | None = None

    def command(self, line: str) -> None:
        """Run one `/command` line (other than /quit)."""
        if line == "/help":
            out.print(HELP, highlight=False, markup=False)
        elif line == "/reset":
            self.conversation.reset()
            out.print("New conversation.")
        elif line == "/sources":
            for c in self.last.citations if self.last else []:
                out.print(
                    escape(f"[{c.n}] {c.source} p.{c.page} chars {c.start}-{c.end}\n    {c.quote}"), highlight=False
                )
        elif line.split()[0] == "/filter":
            self.filter(line[len("/filter") :])
        else:
            out.print(f"Unknown command {escape(line.split()[0])}; /help lists them.", highlight=False)

    def filter(self, args: str) -> None:
        """`/filter key=value ...` on top of the filters in force (`clear` removes them)."""
        try:
            if args.strip():
                self.filters = parse_filter_specs(args, self.filters)
            out.print(f"Filters: {escape(self.filters.describe() or 'none')}", highlight=False)
        except ValueError as exc:  # FilterError, or shlex's unbalanced quotes
            out.print(f"[red]{escape(str(exc))}[/red]", highlight=False)

    def ask(self, question: str) -> None:
        """Answer one question; a failed turn is reported and the conversation goes on."""
        try:
            self.last = self.assistant.ask(question, self.conversation, self.filters)
        except USER_ERRORS as exc:  # busy index, unreachable server, missing model: worth a retry
            err.print(f"[red]error:[/red] {escape(str(exc))}", highlight=False, soft_wrap=True)
            return
        except Exception:  # a bug: logged; one bad turn must not end the session
            log.info("chat turn failed", exc_info=True)
            err.print("[red]error:[/red] something went wrong answering that question (-v shows why); ask again.")
            return
        print_answer(self.last)


def chat(
    ctx: typer.Context,
    llm: Annotated[str | None, typer.Option(help="LangChain chat model \\[env ASSISTANT_LLM]")] = None,
) -> None:
    """Talk to the assistant in the terminal (history with the arrow keys; /help)."""
    # Imported here, not at the top: importing readline changes how input() reads a terminal,
    # which only this command wants.
    import readline

    settings: Settings = ctx.obj.with_overrides(llm=llm)
    history = Path(settings.index_dir) / "chat_history"
    with contextlib.suppress(OSError):  # no history yet
        readline.read_history_file(history)
    session = Session(Assistant(settings))
    out.print(
        f"Answerer: {escape(session.assistant.answerer_name)}. Ask a question; /help for commands, /quit to leave."
    )
    while True:
        try:
            line = input("› ").strip()
        except (EOFError, KeyboardInterrupt):
            out.print()
            break
        if line in ("/quit", "/exit"):
            break
        if line.startswith("/"):
            session.command(line)
        elif line:
            session.ask(line)
    with contextlib.suppress(OSError):  # a read-only index dir keeps no history
        history.parent.mkdir(parents=True, exist_ok=True)
        readline.write_history_file(history)
