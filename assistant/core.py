"""The assistant: one `ask` for every surface (CLI, web, evals)."""

from __future__ import annotations

import re
import time
from functools import cached_property

from pydantic import BaseModel, Field

from assistant.settings import Settings
from assistant.types import Answer, Filters, Hit
from assistant.understand import Query, understand
from ingest.store import Index


class Conversation(BaseModel):
    """The turns so far: each standalone query and the documents its answer cited."""

    queries: list[Query] = Field(default_factory=list)
    cited: list[list[str]] = Field(default_factory=list)

    def reset(self) -> None:
        self.queries.clear()
        self.cited.clear()


def _clean_question(question: str) -> str:
    """Control characters out, whitespace folded."""
    return " ".join("".join(ch if ch.isprintable() or ch.isspace() else " " for ch in question).split())


class Assistant:
    def __init__(self, settings: Settings | None = None):
        self.settings = settings or Settings()
        self.index = Index(self.settings)

    @cached_property
    def embedder(self):
        """Questions are embedded by the ONNX export of the model when an ingest has written
        one (ingest.embed_onnx: a start without torch), else by sentence-transformers."""
        from ingest.embed_onnx import question_encoder

        if encoder := question_encoder(self.settings.cache_dir, self.settings.model_path):
            return encoder
        from ingest.embed import get_embedder

        return get_embedder(self.settings.model_path, self.settings.embed_batch_size)

    @cached_property
    def retriever(self):
        from assistant.retrieve import Retriever

        return Retriever(self.index, self.embedder.embed_query)

    @cached_property
    def answerer(self):
        from assistant.extractive import ExtractiveAnswerer

        extractive = ExtractiveAnswerer(self.retriever)
        if not self.settings.llm:
            return extractive
        from assistant.generative import GenerativeAnswerer

        return GenerativeAnswerer(self.retriever, extractive, self.settings)

    @property
    def answerer_name(self) -> str:
        return "extractive" if not self.settings.llm else f"generative ({self.settings.llm})"

    def retrieve(self, question: str, filters: Filters | None = None, k: int | None = None) -> list[Hit]:
        return self.retriever.search(question, filters, k or self.settings.k)

    def ask(
        self,
        question: str,
        conversation: Conversation | None = None,
        filters: Filters | None = None,
        k: int | None = None,
    ) -> Answer:
        """Answer `question` (a follow-up when `conversation` has turns) with verified citations."""
        started = time.perf_counter()
        k = k or self.settings.k
        cleaned = _clean_question(question)
        if not re.search(r"[^\W\d_]{2,}", cleaned):  # no word of two letters: nothing to ask
            return Answer(question=question, answer="Please ask a question in words.", abstained=True)
        if len(cleaned) > self.settings.max_question_chars:
            return Answer(
                question=question[:200],
                abstained=True,
                answer=(
                    f"The question is too long ({len(cleaned):,} characters; the limit is "
                    f"{self.settings.max_question_chars:,}). Please shorten it."
                ),
            )
        previous = conversation.queries[-1] if conversation and conversation.queries else None
        previous_docs = conversation.cited[-1] if conversation and conversation.cited else None
        query = understand(cleaned, previous, filters, previous_docs)
        t0 = time.perf_counter()
        self.retriever.take_elapsed_ms()
        snap = self.retriever.snapshot()  # loads the index on first use or after an ingest
        snapshot_ms = (time.perf_counter() - t0) * 1000
        if not snap.chunks:
            return Answer(
                question=cleaned,
                abstained=True,
                answer="The index is empty: ingest documents first (`assistant ingest`).",
            )
        absent = [f for f in query.filters.forces if f not in snap.force_names]
        if absent and len(absent) < len(query.filters.forces):
            query.filters.forces = [f for f in query.filters.forces if f in snap.force_names]
            absent = []
        if absent:
            from assistant.extractive import Draft

            draft = Draft(
                abstained=True,
                text=(
                    f"The documents do not say: the index holds nothing from {', '.join(absent)} "
                    f"(forces indexed: {', '.join(snap.force_names)})."
                ),
            )
        else:
            draft = self.answerer.answer(query, k)
        retrieve_ms = round(self.retriever.take_elapsed_ms() + snapshot_ms, 2)
        answer_ms = round((time.perf_counter() - t0) * 1000 - retrieve_ms, 2)
        if conversation is not None:
            conversation.queries.append(query)
            conversation.cited.append(list(dict.fromkeys(c.doc_id for c in draft.citations)))
        return Answer(
            question=cleaned,
            answer=draft.text,
            abstained=draft.abstained,
            forces=draft.forces,
            citations=draft.citations,
            timings_ms={
                "retrieve": retrieve_ms,
                "answer": answer_ms,
                "total": round((time.perf_counter() - started) * 1000, 2),
            },
        )
