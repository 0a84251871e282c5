"""What a language model writes, while it writes: the tokens of every LangChain chat model
called in a `capture()` block, for the chat to show as a draft until the verified answer
replaces it.

`Assistant.ask` calls its model with `invoke`; a callback handler that LangChain counts as a
streaming handler (it has `tap_output_iter`) makes `invoke` stream, and a configure hook adds
the handler to every call made in this context (thread), so no other request sees it. An
extractive answer has no model, so nothing is captured and nothing is replayed.
"""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any
from uuid import UUID

from langchain_core.callbacks import BaseCallbackHandler
from langchain_core.tracers.context import register_configure_hook


class TokenSink(BaseCallbackHandler):
    """Collects the text a chat model streams (thread-safe: written by the answering thread,
    read by the handler that updates the page)."""

    def __init__(self) -> None:
        self._parts: list[str] = []
        self._lock = threading.Lock()

    def on_llm_new_token(self, token: Any, **kwargs: Any) -> None:
        if isinstance(token, str) and token:
            with self._lock:
                self._parts.append(token)

    @property
    def text(self) -> str:
        with self._lock:
            return "".join(self._parts)

    # The two methods that make LangChain stream an `invoke` to this handler (its streaming
    # handler protocol); the output passes through unchanged.
    def tap_output_iter(self, run_id: UUID, output: Iterator) -> Iterator:
        return output

    def tap_output_aiter(self, run_id: UUID, output: AsyncIterator) -> AsyncIterator:
        return output


_sink: ContextVar[TokenSink | None] = ContextVar("assistant_web_token_sink", default=None)
register_configure_hook(_sink, inheritable=True)


@contextmanager
def capture(sink: TokenSink) -> Iterator[TokenSink]:
    """Within the block, every chat model call streams its tokens into `sink`."""
    token = _sink.set(sink)
    try:
        yield sink
    finally:
        _sink.reset(token)
