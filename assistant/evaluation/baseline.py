"""The baseline: what a user builds in an afternoon from the LangChain RAG tutorial.

RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200) over the same documents'
text, embedded with the same model into its own in-memory Chroma collection (the project's
index is never touched), dense top-4, no filters, no conversation memory (each turn is asked
on its own), and the answer is the top chunk's text cited as one source. It never abstains;
its `forces` is the force of the top chunk's document. Built once per run.

For recall@k and MRR the same store is searched with the run's k, so both pipelines'
retrieval is measured at the same depth; the answer still comes from the tutorial's top-4.
"""

from __future__ import annotations

import contextlib
import time
import uuid

from langchain_core.documents import Document as LCDocument
from langchain_core.embeddings import Embeddings

from assistant.types import Answer, Citation, Hit
from ingest.types import Document

TOP_K = 4  # the tutorial's retriever
DESCRIPTION = "baseline (LangChain tutorial: 1000/200 character splits, dense top-4, answer = top chunk)"


class BaselinePipeline:
    """Same `ask` / `retrieve` shape as the project's Assistant, for the runner."""

    name = "baseline"
    description = DESCRIPTION

    def __init__(self, documents: list[Document], embeddings: Embeddings):
        import chromadb
        from chromadb.config import Settings as ChromaSettings
        from langchain_chroma import Chroma
        from langchain_text_splitters import RecursiveCharacterTextSplitter

        self.documents = {d.doc_id: d for d in documents}
        splitter = RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200, add_start_index=True)
        chunks = splitter.create_documents(
            [d.text for d in documents], metadatas=[{"doc_id": d.doc_id} for d in documents]
        )
        for i, chunk in enumerate(chunks):
            chunk.metadata["chunk_id"] = f"baseline-{i}"
        self._client = chromadb.EphemeralClient(settings=ChromaSettings(anonymized_telemetry=False))
        self._name = f"eval-baseline-{uuid.uuid4().hex[:12]}"  # ephemeral clients share one process-wide store
        self.store = Chroma(client=self._client, collection_name=self._name, embedding_function=embeddings)
        if chunks:
            self.store.add_documents(chunks, ids=[c.metadata["chunk_id"] for c in chunks])
        self.chunks = len(chunks)

    def close(self) -> None:
        with contextlib.suppress(Exception):  # already gone: nothing to free
            self._client.delete_collection(self._name)

    def search(self, question: str, k: int = TOP_K) -> list[tuple[LCDocument, float]]:
        """The k nearest chunks with their cosine similarity (the tutorial's default L2 store:
        for unit vectors Chroma's squared L2 distance d is 2 - 2·cos, so the ranking is the same)."""
        if not self.chunks:
            return []
        return [(doc, 1 - distance / 2) for doc, distance in self.store.similarity_search_with_score(question, k=k)]

    def retrieve(self, question: str, k: int = TOP_K) -> list[Hit]:
        return [
            Hit(chunk_id=d.metadata["chunk_id"], doc_id=d.metadata["doc_id"], score=float(s), dense=float(s))
            for d, s in self.search(question, k)
        ]

    def ask(self, question: str) -> Answer:
        """The top chunk of a dense top-4 search, as the answer and its one citation."""
        started = time.perf_counter()
        found = self.search(question, TOP_K)
        t1 = time.perf_counter()
        citations, forces, text = [], [], "No documents are indexed."
        if found:
            chunk, score = found[0]
            doc = self.documents[chunk.metadata["doc_id"]]
            start = int(chunk.metadata["start_index"])
            end = start + len(chunk.page_content)
            text = chunk.page_content
            forces = [doc.meta.force] if doc.meta.force else []
            citations = [
                Citation(
                    n=1,
                    doc_id=doc.doc_id,
                    source=doc.source,
                    title=doc.meta.title,
                    force=doc.meta.force,
                    date=doc.meta.date.isoformat() if doc.meta.date else None,
                    page=doc.page_at(start),
                    start=start,
                    end=end,
                    quote=" ".join(chunk.page_content.split()),
                    score=round(float(score), 4),
                )
            ]
        t2 = time.perf_counter()
        return Answer(
            question=question,
            answer=text,
            abstained=False,
            forces=forces,
            citations=citations,
            timings_ms={
                "retrieve": round((t1 - started) * 1000, 2),
                "answer": round((t2 - t1) * 1000, 2),
                "total": round((t2 - started) * 1000, 2),
            },
        )
