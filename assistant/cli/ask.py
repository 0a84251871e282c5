"""`assistant ask`: one conversation of a question and its follow-ups, as text or JSON."""

from __future__ import annotations

from typing import Annotated

import typer

from assistant.cli.output import echoed, filter_error, guard, print_answer
from assistant.core import Assistant, Conversation
from assistant.filters import FilterError, parse_filters
from assistant.settings import Settings
from assistant.types import Filters

DATE_HELP = "14 May 2019, May 2019, 2019, yesterday, last month"


def ask_filters(force: list[str] | None, doc_type: list[str] | None, since: str | None, until: str | None) -> Filters:
    """The filters of the command's options, or a UserError naming the one that is wrong."""
    try:
        return parse_filters(force, doc_type, since, until)
    except FilterError as exc:
        raise filter_error(exc) from None


def ask(
    ctx: typer.Context,
    questions: Annotated[list[str], typer.Argument(help="A question, then any follow-ups")],
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per turn")] = False,
    force: Annotated[list[str] | None, typer.Option("--force", help="Only this force (repeatable)")] = None,
    doc_type: Annotated[list[str] | None, typer.Option("--doc-type", help="Only this document type")] = None,
    since: Annotated[
        str | None, typer.Option(metavar="DATE", help=f"Documents dated on/after: 2019-01-01, {DATE_HELP}")
    ] = None,
    until: Annotated[
        str | None, typer.Option(metavar="DATE", help=f"Documents dated on/before: 2019-12-31, {DATE_HELP}")
    ] = None,
    k: Annotated[int | None, typer.Option("-k", help="Passages to retrieve")] = None,
    llm: Annotated[
        str | None, typer.Option(help="LangChain chat model, e.g. ollama:llama3.1 \\[env ASSISTANT_LLM]")
    ] = None,
) -> None:
    """Ask questions as one conversation; prints answers with numbered, verified sources."""
    settings: Settings = ctx.obj.with_overrides(llm=llm)
    filters = ask_filters(force, doc_type, since, until)
    assistant = Assistant(settings)
    conversation = Conversation()
    for question in questions:
        answer = guard(assistant.ask, question, conversation, filters, k)
        if as_json:
            print(echoed(answer).model_dump_json(), flush=True)
        else:
            print_answer(answer)
