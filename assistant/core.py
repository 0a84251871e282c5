"""The assistant: the one entry point that every surface (CLI, web, evaluation, bench) uses.

`Assistant(settings)` answers questions (`ask`, with a `Conversation` for follow-ups),
retrieves passages (`retrieve`), and manages the index it answers from (`ingest`,
`describe`, `documents`, `add_uploads`, `remove_document`). Surfaces never reach into
`answer/` or `ingest/` themselves: what they need is here, so each layer talks only to its
neighbour (surfaces -> core -> answer -> retrieval -> the index ingest wrote).

Errors a user can act on are `USER_ERRORS` (ingest.errors.IngestError and its subclasses:
busy index, unreachable server, missing model); their message is one sentence to show as it
is. Anything else is a bug: log it, and tell the user only that something went wrong.
"""

from __future__ import annotations

import re
import time
from collections.abc import Sequence
from functools import cached_property
from pathlib import Path

import numpy as np
from pydantic import BaseModel, Field

from assistant import documents as uploads
from assistant.answer.draft import Draft
from assistant.answer.extractive import ExtractiveAnswerer
from assistant.answer.generative import GenerativeAnswerer
from assistant.answer.retrieve import Retriever
from assistant.answer.understand import Query, named_forces, understand
from assistant.inventory import describe_index, document_infos
from assistant.settings import Settings
from assistant.types import Answer, DocumentInfo, Filters, Hit, IndexInfo, Reading
from ingest.clean import clean
from ingest.embed import get_embedder
from ingest.embed_onnx import OnnxEncoder, question_encoder
from ingest.encoder import EncoderInfo, encoder_info
from ingest.errors import IndexUnavailable, IngestError
from ingest.load import SUPPORTED_SUFFIXES
from ingest.pipeline import IngestReport
from ingest.pipeline import ingest as run_ingest
from ingest.store import Index
from ingest.types import Document

USER_ERRORS: tuple[type[Exception], ...] = (IngestError,)


class Conversation(BaseModel):
    """The turns so far: each standalone query and the documents its answer cited."""

    queries: list[Query] = Field(default_factory=list)
    cited: list[list[str]] = Field(default_factory=list)

    def reset(self) -> None:
        self.queries.clear()
        self.cited.clear()


def _overridden(question: str, filters: Filters | None) -> list[str]:
    """Where the filter panel and the question disagree: the panel's force wins over a force
    the question names."""
    named, _ = named_forces(question)
    if not filters or not filters.forces or not named:
        return []
    other = [f for f in named if f not in filters.forces]
    if not other:
        return []
    return [f"the question names {', '.join(other)}; the Force filter ({', '.join(filters.forces)}) was applied"]


def _clean_question(question: str) -> str:
    """Control characters out, whitespace folded."""
    return " ".join("".join(ch if ch.isprintable() or ch.isspace() else " " for ch in question).split())


class Assistant:
    """Questions in, verified answers out; and the documents they are answered from."""

    file_types: tuple[str, ...] = SUPPORTED_SUFFIXES  # what ingest and uploads read

    def __init__(self, settings: Settings | None = None):
        self.settings = settings or Settings()
        self.index = Index(self.settings)
        self._answered_from: tuple[int, int] | None = None  # (generation, documents) of the last snapshot used

    # ---- the parts, built on first use ------------------------------------------------------
    @cached_property
    def embedder(self):
        """Questions are embedded by the ONNX export of the model when an ingest has written
        one (ingest.embed_onnx: a start without torch), else by sentence-transformers."""
        if encoder := question_encoder(self.settings.cache_dir, self.settings.model_path):
            return encoder
        return get_embedder(self.settings.model_path, self.settings.embed_batch_size)

    @cached_property
    def encoder(self) -> EncoderInfo:
        """The encoder questions are embedded by (checked against the one that built the index)."""
        backend = "onnxruntime" if isinstance(self.embedder, OnnxEncoder) else "sentence-transformers"
        return encoder_info(self.settings.model_path, backend)

    @cached_property
    def retriever(self) -> Retriever:
        return Retriever(self.index, self.embedder.embed_query, self.encoder)

    @cached_property
    def answerer(self) -> ExtractiveAnswerer | GenerativeAnswerer:
        extractive = ExtractiveAnswerer(self.retriever)
        if not self.settings.llm:
            return extractive
        return GenerativeAnswerer(self.retriever, extractive, self.settings)

    @property
    def answerer_name(self) -> str:
        return "extractive" if not self.settings.llm else f"generative ({self.settings.llm})"

    # ---- answering ------------------------------------------------------------------------
    def retrieve(self, question: str, filters: Filters | None = None, k: int | None = None) -> list[Hit]:
        """The `k` best passages for `question` under `filters` (hybrid retrieval, no answer)."""
        return self.retriever.search(question, filters, k or self.settings.k)

    def ask(
        self,
        question: str,
        conversation: Conversation | None = None,
        filters: Filters | None = None,
        k: int | None = None,
    ) -> Answer:
        """Answer `question` (a follow-up when `conversation` has turns) with verified citations.

        `filters` come from the user's controls and win over filters named in the question.
        The answer abstains, with a sentence saying why, when the documents do not answer, the
        question is empty or too long, or the index is empty. Raises USER_ERRORS when the index
        cannot be read."""
        started = time.perf_counter()
        k = k or self.settings.k
        cleaned = _clean_question(question)
        if not re.search(r"[^\W\d_]{2,}", cleaned):  # no word of two letters: nothing to ask
            return Answer(question=question[:200], answer="Please ask a question in words.", abstained=True)
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
        try:
            snap = self.retriever.snapshot()  # loads the index on first use or after an ingest
        except IndexUnavailable as exc:
            raise self._unreachable(exc) from exc
        self._answered_from = (snap.generation, len(snap.documents))
        snapshot_ms = (time.perf_counter() - t0) * 1000
        if not snap.chunks:
            return Answer(
                question=cleaned,
                abstained=True,
                answer="The index is empty: ingest documents first (`assistant ingest`).",
            )
        if query.filters.doc_types and not (filters and filters.doc_types) and not snap.mask(query.filters).any():
            # "its Stalking & Harassment Strategic Action Plan" names what the question is about;
            # no action plan of that force is indexed, so the words are its topic, not a filter
            query = understand(cleaned, previous, filters, previous_docs, kinds=False)
        draft = self._absent_forces(query, snap.force_names) or self.answerer.answer(query, k)
        reading = Reading(
            question=query.text if query.follow_up else query.question,
            follow_up=query.follow_up,
            filters=query.filters,
            from_question=query.from_question,
            overridden=_overridden(cleaned, filters),
        )
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
            reading=reading,
            timings_ms={
                "retrieve": retrieve_ms,
                "answer": answer_ms,
                "total": round((time.perf_counter() - started) * 1000, 2),
            },
        )

    def _unreachable(self, exc: IndexUnavailable) -> IndexUnavailable:
        """The sentence for a question whose index could not be loaded because the Chroma
        server is away: which server, whether this process kept the last good snapshot (it
        keeps it until a new one loads), and what to do."""
        if not self.settings.server_mode:
            return exc
        if self._answered_from:
            generation, documents = self._answered_from
            kept = (
                f"the last good snapshot (generation {generation}, {documents} documents) was kept "
                "and the new one loads once the server answers"
            )
        else:
            kept = "no snapshot had been loaded yet, so there was none to keep"
        return IndexUnavailable(
            f"cannot reach the Chroma server at {exc.where} to load the index's vectors ({exc.cause}); "
            f"{kept}: start the server again and ask again",
            exc.where,
            exc.cause,
        )

    @staticmethod
    def _absent_forces(query: Query, indexed: Sequence[str]) -> Draft | None:
        """An abstention when every force the question is limited to is missing from the
        index; forces that are missing beside ones that are present are dropped."""
        absent = [f for f in query.filters.forces if f not in indexed]
        if not absent:
            return None
        if len(absent) < len(query.filters.forces):
            query.filters.forces = [f for f in query.filters.forces if f in indexed]
            return None
        return Draft(
            abstained=True,
            text=(
                f"The documents do not say: the index holds nothing from {', '.join(absent)} "
                f"(forces indexed: {', '.join(indexed)})."
            ),
        )

    # ---- the documents ------------------------------------------------------------------------
    def ingest(
        self,
        paths: list[Path] | None = None,
        *,
        rebuild: bool = False,
        prune: bool = False,
        show_progress: bool = False,
        wait: float = 0,
    ) -> IngestReport:
        """Index files or directories (default: the corpus dir); see `ingest.pipeline.ingest`."""
        return run_ingest(self.settings, paths, rebuild=rebuild, prune=prune, show_progress=show_progress, wait=wait)

    def describe(self, check: bool = False, repair: bool = False) -> IndexInfo:
        """What the index holds (documents with metadata, chunks, forces, model, store);
        `check` verifies that the stores agree, `repair` fixes what it can."""
        return describe_index(self.settings, check=check, repair=repair)

    def documents(self) -> list[DocumentInfo]:
        """Every indexed document with its metadata and chunk count."""
        return document_infos(self.index)

    def document(self, doc_id: str) -> Document | None:
        """One document with its full text (for the source viewer), or None."""
        return self.index.document(doc_id)

    def chunk_count(self) -> int:
        return self.index.stats()["chunks"]

    def readable_text(self, doc_id: str) -> tuple[str, np.ndarray] | None:
        """A document's text as a reader should see it (markup, running headers and page
        numbers removed; pages still split by form feeds), and for each of its characters the
        offset in `document(doc_id).text` it comes from (ascending), so a citation's span can be
        found in it. None for an unknown id."""
        doc = self.index.document(doc_id)
        if doc is None:
            return None
        cleaned = clean(doc.text)
        return cleaned.text, cleaned.offsets

    def original_file(self, doc_id: str) -> Path | None:
        """The file a document was read from, when it is still there (for "download original")."""
        doc = self.index.document(doc_id)
        path = uploads.original_path(doc.source) if doc else None
        return path if path is not None and path.is_file() else None

    def add_uploads(self, files: list[tuple[Path, str]], wait: float = 30) -> uploads.UploadBatch:
        """Check, store and ingest uploaded files given as (temporary path, name the user gave)."""
        return uploads.add_uploads(self.settings, files, wait=wait)

    def remove_document(self, doc_id: str, wait: float = 30) -> str:
        """Remove a document (and its file when it was uploaded); returns a note for the user.
        Raises KeyError for an unknown id."""
        return uploads.remove_document(self.settings, doc_id, wait=wait)
