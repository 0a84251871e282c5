"""Retrieval internals that scale: rank fusion read to a window, the compact chunk table, and
the memory-mapped vector file a process starts from."""

from __future__ import annotations

import shutil

import numpy as np
import pytest

from assistant.answer.retrieve import FUSE_WINDOW, RRF_K, Retriever
from assistant.answer.snapshot import ChunkTable
from assistant.settings import Settings
from ingest.store import Index


def full_rrf(dense: np.ndarray, keyword: np.ndarray, k: int) -> list[int]:
    """Reciprocal rank fusion over every row, the textbook way (what fuse() approximates)."""
    fused = np.zeros(len(dense))
    for scores in (dense, keyword):
        ranks = np.empty(len(scores), dtype=np.int64)
        ranks[np.argsort(-scores, kind="stable")] = np.arange(len(scores))
        contribution = 1.0 / (RRF_K + 1 + ranks)
        if scores is keyword:
            contribution[keyword <= 0] = 0.0
        fused += contribution
    return np.argsort(-fused, kind="stable")[:k].tolist()


def fused_rows(dense: np.ndarray, keyword: np.ndarray, k: int) -> list[int]:
    return [row for row, _ in Retriever.fuse(dense, keyword, np.arange(len(dense)), k)]


def test_fusion_within_the_window_is_exactly_reciprocal_rank_fusion():
    rng = np.random.default_rng(3)
    dense = rng.normal(size=FUSE_WINDOW).astype(np.float32)
    keyword = np.where(rng.random(FUSE_WINDOW) < 0.3, rng.random(FUSE_WINDOW) * 9, 0).astype(np.float32)
    assert fused_rows(dense, keyword, 10) == full_rrf(dense, keyword, 10)


def test_fusion_over_many_rows_finds_what_full_fusion_finds_at_the_top():
    """Rankings that agree as real ones do (both follow one relevance, each with its noise):
    the best row is always the same, the top five nearly always."""
    same_best, overlap = 0, 0
    for seed in range(20):
        rng = np.random.default_rng(seed)
        relevance = rng.normal(size=50_000)
        dense = (relevance + rng.normal(size=relevance.size) * 0.7).astype(np.float32)
        matched = relevance + rng.normal(size=relevance.size) * 0.7
        keyword = np.where(matched > 2.0, matched, 0).astype(np.float32)
        windowed, full = fused_rows(dense, keyword, 5), full_rrf(dense, keyword, 5)
        same_best += windowed[0] == full[0]
        overlap += len(set(windowed) & set(full))
    assert same_best == 20
    assert overlap >= 0.95 * 20 * 5


def test_a_row_only_keywords_find_still_ranks_among_the_best():
    n = 20_000
    dense = np.linspace(1.0, 0.0, n, dtype=np.float32)  # row 0 best ... row n-1 worst
    keyword = np.zeros(n, dtype=np.float32)
    keyword[n - 1] = 12.0  # the one exact keyword match, last by meaning
    keyword[1] = 3.0
    rows = fused_rows(dense, keyword, 5)
    assert rows[0] == 1  # second by meaning and a keyword match
    assert n - 1 in rows


def test_ties_are_broken_by_row_order_and_k_larger_than_the_rows_returns_them_all():
    dense = np.zeros(5, dtype=np.float32)
    keyword = np.zeros(5, dtype=np.float32)
    assert fused_rows(dense, keyword, 10) == [0, 1, 2, 3, 4]
    assert Retriever.fuse(dense, keyword, np.arange(0), 3) == []


def test_the_chunk_table_reads_back_the_manifest_chunks(seed_index):
    index = Index(seed_index)
    chunks = index.chunks()
    table = ChunkTable(index.chunk_rows())
    assert len(table) == len(chunks) and list(table) == chunks
    assert table[-1] == chunks[-1] and table[1:3] == chunks[1:3]
    with pytest.raises(IndexError):
        table[len(chunks)]
    for doc in index.documents():
        assert [table[i] for i in table.doc_ranges[doc.doc_id]] == index.chunks(doc.doc_id)
    assert table.texts() == [c.text for c in chunks]


@pytest.fixture
def index_copy(seed_index, tmp_path) -> Settings:
    shutil.copytree(seed_index.index_dir, tmp_path / "index", ignore=shutil.ignore_patterns("write.lock", "vectors-*"))
    return Settings(index_dir=tmp_path / "index", corpus_dir=seed_index.corpus_dir)


def test_vectors_are_read_from_chroma_once_then_mapped_from_their_file(index_copy, monkeypatch):
    index = Index(index_copy)
    ids = [c.chunk_id for c in index.chunks()]
    from_chroma = index._vectors_from_chroma(ids)
    first = index.vectors(ids)
    assert np.array_equal(first, from_chroma) and isinstance(first, np.memmap)
    files = list(index.dir.glob("vectors-*.npy"))
    assert len(files) == 1

    def no_chroma(*_):
        raise AssertionError("read Chroma although the vector file was there")

    monkeypatch.setattr(Index, "_vectors_from_chroma", no_chroma)
    assert np.array_equal(Index(index_copy).vectors(ids), from_chroma)
    monkeypatch.undo()

    fewer = Index(index_copy).vectors(ids[1:])  # another generation's ids: another file, the old one goes
    assert np.array_equal(fewer, from_chroma[1:])
    assert list(index.dir.glob("vectors-*.npy")) != files and len(list(index.dir.glob("vectors-*.npy"))) == 1


def test_an_unwritable_index_dir_still_gives_the_vectors(index_copy, monkeypatch):
    def disk_full(*_args, **_kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(np, "save", disk_full)
    index = Index(index_copy)
    ids = [c.chunk_id for c in index.chunks()]
    assert np.array_equal(index.vectors(ids), index._vectors_from_chroma(ids))
    assert not list(index.dir.glob("vectors-*")) and not list(index.dir.glob("*.tmp"))
