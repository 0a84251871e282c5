"""The scripting API: one named endpoint, `ask`, that returns the same object as
`assistant ask --json` (gradio_client: `Client(url).predict(question, api_name="/ask")`)."""

from __future__ import annotations

import gradio as gr

from assistant.core import Assistant
from assistant.web.components import checked_filters, user_error

MAX_K = 50


def api_ask(
    assistant: Assistant, question: object, forces=None, doc_types=None, since=None, until=None, k=None
) -> dict:
    """The `ask` endpoint: validate (gr.Error with a sentence), ask, return Answer.model_dump(mode="json")."""
    if not isinstance(question, str) or not question.strip():
        raise gr.Error("The question is empty: send a question in words.")
    limit = assistant.settings.max_question_chars
    if len(question) > limit:
        raise gr.Error(f"The question is too long ({len(question):,} characters; the limit is {limit:,}).")
    if forces is not None and not isinstance(forces, list | str):
        raise gr.Error("`forces` must be a list of force names.")
    if doc_types is not None and not isinstance(doc_types, list | str):
        raise gr.Error("`doc_types` must be a list of document types.")
    if k is not None and (isinstance(k, bool) or not isinstance(k, int) or not 1 <= k <= MAX_K):
        raise gr.Error(f"`k` must be a whole number from 1 to {MAX_K}.")
    filters = checked_filters(forces, doc_types, since, until)
    try:
        answer = assistant.ask(question, None, filters, k)
    except Exception as exc:
        raise user_error(exc) from None
    return answer.model_dump(mode="json")


def add_ask_endpoint(assistant: Assistant) -> None:
    """Register `ask` on the open Blocks (its signature and docstring are the API page's)."""

    def ask(
        question: str,
        forces: list[str] | None = None,
        doc_types: list[str] | None = None,
        since: str | None = None,
        until: str | None = None,
        k: int | None = None,
    ) -> dict:
        """Answer one question; returns the `ask --json` object (question, answer, abstained,
        forces, citations, timings_ms). Optional filters: forces, doc_types, since/until (YYYY-MM-DD), k."""
        return api_ask(assistant, question, forces, doc_types, since, until, k)

    gr.api(ask, api_name="ask", concurrency_id="api")
