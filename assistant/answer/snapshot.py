"""A consistent, in-memory view of one index generation, compact enough for 100k chunks."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import TypeVar

import numpy as np

from assistant.answer.terms import acronyms, stems
from assistant.types import Filters
from ingest.keyword import KeywordIndex
from ingest.store import chunk_from_row
from ingest.types import Chunk, Document

SENTENCE_CACHE = 20_000  # chunks whose sentence vectors are kept (~100 MB at most)
MEMO_ENTRIES = 200_000
_MISSING = object()
T = TypeVar("T")


class ChunkTable(Sequence[Chunk]):
    """The chunks of a snapshot in document order, kept as the manifest's plain rows and
    made `Chunk`s when read. As pydantic objects with their sentences, chunks took ~5 KB
    each (0.5 GB at 100k); as rows they take about half, and an answer reads a few hundred."""

    def __init__(self, rows: list[tuple]):
        self._rows = rows
        self.ids: list[str] = [row[0] for row in rows]
        self.doc_ids: list[str] = [row[1] for row in rows]
        self._chunk = lru_cache(maxsize=4096)(self._make)

    def _make(self, row: int) -> Chunk:
        return chunk_from_row(self._rows[row])

    def __len__(self) -> int:
        return len(self._rows)

    def __getitem__(self, row):
        if isinstance(row, slice):
            return [self._chunk(i) for i in range(*row.indices(len(self)))]
        return self._chunk(range(len(self))[row])  # negative rows, and IndexError past the end

    def __iter__(self) -> Iterator[Chunk]:
        return (self._chunk(i) for i in range(len(self)))

    def texts(self) -> list[str]:
        return [row[7] for row in self._rows]

    def text_hash(self, row: int) -> str:
        return str(self._rows[row][8])

    @cached_property
    def row_of(self) -> dict[str, int]:
        return {chunk_id: i for i, chunk_id in enumerate(self.ids)}

    @cached_property
    def doc_ranges(self) -> dict[str, range]:
        """Each document's rows: contiguous, as the rows are in document order."""
        ranges: dict[str, range] = {}
        start = 0
        for i in range(1, len(self.doc_ids) + 1):
            if i == len(self.doc_ids) or self.doc_ids[i] != self.doc_ids[start]:
                ranges[self.doc_ids[start]] = range(start, i)
                start = i
        return ranges


@dataclass
class Snapshot:
    """A consistent view of one index generation: chunks, documents, vectors, keywords."""

    generation: int
    chunks: ChunkTable
    documents: dict[str, Document]
    matrix: np.ndarray  # (n_chunks, dim), rows aligned with `chunks`; memory-mapped
    keyword: KeywordIndex
    keyword_rows: np.ndarray  # keyword index position -> chunk row
    # text hashes -> their sentence vectors (Index.sentence_vectors); read for the few chunks a
    # question retrieves, and kept here: a chunk text's vectors never change
    load_sentence_vectors: Callable[[list[str]], dict[str, np.ndarray]] = lambda hashes: {}
    _sentence_vectors: dict[str, np.ndarray | None] = field(default_factory=dict, init=False, repr=False)
    _memo: dict[tuple[str, object], object] = field(default_factory=dict, init=False, repr=False)
    forces: np.ndarray = field(init=False)
    doc_types: np.ndarray = field(init=False)
    dates: np.ndarray = field(init=False)

    def __post_init__(self) -> None:
        # per document, then repeated over its rows: 5k documents, not 100k chunks, to convert
        ranges = self.chunks.doc_ranges
        metas = [self.documents[doc_id].meta for doc_id in ranges]
        counts = [len(rows) for rows in ranges.values()]
        self.forces = np.repeat(np.array([m.force or "" for m in metas], dtype=object), counts)
        self.doc_types = np.repeat(np.array([m.doc_type.value for m in metas], dtype=object), counts)
        self.dates = np.repeat(
            np.array([int(m.date.strftime("%Y%m%d")) if m.date else 0 for m in metas], dtype=np.int64), counts
        )

    @property
    def row_of(self) -> dict[str, int]:
        return self.chunks.row_of

    def memo(self, kind: str, key: object, make: Callable[[], T]) -> T:
        """`make()`, computed once per (kind, key) for this snapshot: stems of a sentence,
        cues of a clause, words of a document. Bounded; cleared when full."""
        found = self._memo.get((kind, key), _MISSING)
        if found is _MISSING:
            if len(self._memo) > MEMO_ENTRIES:
                self._memo.clear()
            found = self._memo[(kind, key)] = make()
        return found  # type: ignore[return-value]  # stored by this method for this kind

    def stems(self, text: str) -> frozenset[str]:
        return self.memo("stems", text, lambda: stems(text))

    def aliases(self) -> dict[str, frozenset[str]]:
        """Acronym stem -> the stems of the words it stands for, as the documents define them
        ("Police Information Notices (PINs)": pin -> polic, inform, notic)."""
        return self.memo("aliases", None, lambda: acronyms(d.text for d in self.documents.values()))

    def sentence_vectors(self, rows: Iterable[int]) -> dict[int, np.ndarray]:
        """The sentence vectors of these chunk rows (one row per sentence, in order), for the
        rows whose vectors are stored (an index built without them has none)."""
        rows = list(rows)
        wanted = [self.chunks.text_hash(r) for r in rows]
        missing = [h for h in dict.fromkeys(wanted) if h not in self._sentence_vectors]
        if missing:
            found = self.load_sentence_vectors(missing)
            if len(self._sentence_vectors) > SENTENCE_CACHE:
                self._sentence_vectors.clear()  # a bounded cache; refilled from the manifest
            self._sentence_vectors.update({h: found.get(h) for h in missing})
        out = {}
        for row, h in zip(rows, wanted, strict=True):
            matrix = self._sentence_vectors.get(h)
            if matrix is not None:
                out[row] = matrix
        return out

    def chunks_of(self, doc_id: str) -> list[Chunk]:
        """One document's chunks in order."""
        return [self.chunks[i] for i in self.chunks.doc_ranges.get(doc_id, ())]

    @cached_property
    def force_names(self) -> list[str]:
        return sorted({f for f in self.forces if f})

    @cached_property
    def force_rows(self) -> dict[str, np.ndarray]:
        """Row numbers of each force's chunks: grouped once, not compared 43 times per question."""
        codes, inverse = np.unique(self.forces.astype(str), return_inverse=True)
        order = np.argsort(inverse, kind="stable")
        bounds = np.searchsorted(inverse[order], np.arange(len(codes) + 1))
        return {str(code): order[bounds[i] : bounds[i + 1]] for i, code in enumerate(codes) if code}

    def mask(self, filters: Filters) -> np.ndarray:
        keep = np.ones(len(self.chunks), dtype=bool)
        if filters.forces:
            keep &= np.isin(self.forces, filters.forces)
        if filters.doc_types:
            keep &= np.isin(self.doc_types, filters.doc_types)
        if filters.since:
            keep &= self.dates >= int(filters.since.strftime("%Y%m%d"))
        if filters.until:
            keep &= (self.dates > 0) & (self.dates <= int(filters.until.strftime("%Y%m%d")))
        return keep
