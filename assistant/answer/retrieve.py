"""Hybrid retrieval: dense (vectors from Chroma) + keyword (bm25s), fused by reciprocal rank,
under metadata filters, globally or for every force on its own evidence.

The vectors are held as one matrix (memory-mapped, see Index.vectors), loaded when the index
generation changes: exact scores for any filter mask cost one matrix product (~20 ms at 100k chunks),
where a filtered Chroma query per force would cost ~57 ms × 43 forces.
"""

from __future__ import annotations

import threading
import time
from functools import lru_cache

import numpy as np

from assistant.answer.snapshot import ChunkTable, Snapshot
from assistant.types import Filters, Hit
from ingest.encoder import EncoderInfo, check_same
from ingest.store import Index

RRF_K = 60  # the constant of reciprocal rank fusion (Cormack et al.): damps the top ranks
FUSE_WINDOW = 200  # how deep each ranking is read before fusion (at least 4 × k)


def _best(scores: np.ndarray, n: int) -> np.ndarray:
    """Positions of the `n` highest scores, best first, ties in position order (as a stable sort)."""
    top = np.argpartition(-scores, n - 1)[:n] if n < len(scores) else np.arange(len(scores))
    return top[np.lexsort((top, -scores[top]))]


class Retriever:
    """Retrieval over the current index; reloads itself when an ingest commits."""

    def __init__(self, index: Index, embed_query, encoder: EncoderInfo | None = None):
        self.index = index
        self.encoder = encoder  # what embeds the questions: must match what built the index
        # Answerers score the same question more than once (evidence, then per force).
        self._embed_query = lru_cache(maxsize=256)(embed_query)
        self._snapshot: Snapshot | None = None
        self._lock = threading.Lock()
        self._spent = threading.local()  # per request thread: seconds spent retrieving

    def forget_queries(self) -> None:
        """Drop the cached question vectors (benchmarks time a question never seen before)."""
        self._embed_query.cache_clear()

    def take_elapsed_ms(self) -> float:
        """Milliseconds this thread spent retrieving since the last call (for timings_ms)."""
        spent = getattr(self._spent, "seconds", 0.0)
        self._spent.seconds = 0.0
        return round(spent * 1000, 2)

    def _account(self, started: float) -> None:
        self._spent.seconds = getattr(self._spent, "seconds", 0.0) + time.perf_counter() - started

    def snapshot(self) -> Snapshot:
        generation = self.index.generation()
        current = self._snapshot
        if current is not None and current.generation == generation:
            return current
        with self._lock:
            if self._snapshot is None or self._snapshot.generation != self.index.generation():
                self._snapshot = self._load_stable()
            return self._snapshot

    def _load_stable(self, attempts: int = 5) -> Snapshot:
        """A snapshot of one generation: loaded again when a commit landed while it was read."""
        for _ in range(attempts):
            generation = self.index.generation()
            self.index.reopen()  # the store as it is now, whoever wrote it
            try:
                snap = self._load(generation)
            except Exception:
                if self.index.generation() == generation:
                    raise
                continue
            if self.index.generation() == generation:
                return snap
        raise RuntimeError("the index changed on every read; try again when the ingest has finished")

    def _load(self, generation: int) -> Snapshot:
        if self.encoder is not None:
            check_same(self.index.encoder(), self.encoder)  # raises EncoderChanged, saying to re-ingest
        chunks = ChunkTable(self.index.chunk_rows())
        documents = {d.doc_id: d for d in self.index.documents(with_text=True)}
        matrix = self.index.vectors(chunks.ids)
        keyword = self.index.keyword()
        keyword_rows = np.array([chunks.row_of.get(cid, -1) for cid in keyword.ids], dtype=np.int64)
        return Snapshot(generation, chunks, documents, matrix, keyword, keyword_rows, self.index.sentence_vectors)

    # ---- scoring -----------------------------------------------------------------------
    def query_vector(self, query: str) -> np.ndarray:
        """The question's embedding (cached: an answer scores one question more than once)."""
        return np.asarray(self._embed_query(query), dtype=np.float32)

    def scores(self, snap: Snapshot, query: str) -> tuple[np.ndarray, np.ndarray]:
        """Dense cosine and BM25 score of `query` for every chunk row."""
        vector = self.query_vector(query)
        dense = snap.matrix @ vector if len(snap.chunks) else np.zeros(0, dtype=np.float32)
        keyword = np.zeros(len(snap.chunks), dtype=np.float32)
        raw = snap.keyword.scores(query)
        if len(raw):
            valid = snap.keyword_rows >= 0
            keyword[snap.keyword_rows[valid]] = raw[valid]
        return dense, keyword

    @staticmethod
    def fuse(dense: np.ndarray, keyword: np.ndarray, rows: np.ndarray, k: int) -> list[tuple[int, float]]:
        """Reciprocal rank fusion of the two rankings over `rows`; best `k` (row, score).

        Each ranking is read to a window of its best FUSE_WINDOW rows, as Elasticsearch's
        RRF does (rank_window_size); a row beyond it counts as ranked just past it, which is
        what its rank at least is. Ranking every row cost three full sorts, 31-42 ms a force
        question at 100k chunks; partial selection costs a few."""
        if len(rows) == 0:
            return []
        window = min(len(rows), max(FUSE_WINDOW, 4 * k))
        dense, keyword = dense[rows], keyword[rows]
        fused = np.zeros(len(rows), dtype=np.float64)
        for scores in (dense, keyword):
            top = _best(scores, window)
            ranks = np.full(len(rows), window, dtype=np.int64)
            ranks[top] = np.arange(len(top))
            contribution = 1.0 / (RRF_K + 1 + ranks)
            if scores is keyword:
                contribution[keyword <= 0] = 0.0  # no keyword match is no keyword evidence
            fused += contribution
        best = _best(fused, min(k, len(rows)))
        return [(int(rows[i]), float(fused[i])) for i in best]

    def _hits(self, snap: Snapshot, ranked, dense, keyword) -> list[Hit]:
        return [
            Hit(
                chunk_id=snap.chunks.ids[r],
                doc_id=snap.chunks.doc_ids[r],
                score=s,
                dense=float(dense[r]),
                keyword=float(keyword[r]),
            )
            for r, s in ranked
        ]

    def search(self, query: str, filters: Filters | None = None, k: int = 5) -> list[Hit]:
        """The `k` best chunks for `query` among those the filters allow."""
        started = time.perf_counter()
        snap = self.snapshot()
        dense, keyword = self.scores(snap, query)
        rows = np.flatnonzero(snap.mask(filters or Filters()))
        hits = self._hits(snap, self.fuse(dense, keyword, rows, k), dense, keyword)
        self._account(started)
        return hits

    def search_per_force(self, query: str, filters: Filters | None = None, k: int = 4) -> dict[str, list[Hit]]:
        """The `k` best chunks of every force, each force ranked on its own chunks only, so
        that no force's evidence is crowded out by another's in a global top-k."""
        started = time.perf_counter()
        snap = self.snapshot()
        filters = filters or Filters()
        dense, keyword = self.scores(snap, query)
        allowed = snap.mask(filters.model_copy(update={"forces": []}))
        forces = filters.forces or snap.force_names
        result = {}
        empty = np.zeros(0, dtype=np.int64)
        for force in forces:
            rows = snap.force_rows.get(force, empty)
            rows = rows[allowed[rows]]
            hits = self._hits(snap, self.fuse(dense, keyword, rows, k), dense, keyword)
            if hits:
                result[force] = hits
        self._account(started)
        return result
