"""Keyword (BM25) index over chunk texts, with bm25s: sparse-matrix scoring, so a query
costs milliseconds at 100k chunks where rank-bm25 scores every document in Python."""

from __future__ import annotations

import json
import logging
import re
from functools import lru_cache
from pathlib import Path

import bm25s
import numpy as np
import Stemmer
from bm25s.stopwords import STOPWORDS_EN

logging.getLogger("bm25s").setLevel(logging.WARNING)  # it logs every index build at DEBUG


@lru_cache(maxsize=1)
def _stemmer() -> Stemmer.Stemmer:
    return Stemmer.Stemmer("english")


_TOKEN = re.compile(r"(?u)\b\w\w+\b")  # bm25s's own token pattern
_STOPWORDS = frozenset(STOPWORDS_EN)


def tokenize(texts: list[str]) -> list[list[str]]:
    """Lower-cased, stop-worded, stemmed tokens; the same for chunks and questions. The rules
    of `bm25s.tokenize(stopwords="en", stemmer=...)`, run directly: that function builds a
    vocabulary and progress bars on every call, ~1 ms for one short sentence, and answers
    tokenize thousands of them."""
    stem = _stemmer().stemWords
    return [stem([w for w in _TOKEN.findall(text.lower()) if w not in _STOPWORDS]) for text in texts]


class KeywordIndex:
    """BM25 scores for every chunk, aligned with `ids`."""

    def __init__(self, bm25: bm25s.BM25 | None, ids: list[str]):
        self._bm25 = bm25
        self.ids = ids

    @classmethod
    def build(cls, ids: list[str], texts: list[str]) -> KeywordIndex:
        tokens = tokenize(texts)
        if not any(tokens):  # no chunk has a word (digits, symbols): bm25s cannot index that
            return cls(None, list(ids))
        bm25 = bm25s.BM25()
        bm25.index(tokens, show_progress=False)
        return cls(bm25, list(ids))

    def save(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        if self._bm25 is not None:
            self._bm25.save(str(directory), show_progress=False)
        (directory / "ids.json").write_text(json.dumps(self.ids))

    @classmethod
    def load(cls, directory: Path) -> KeywordIndex:
        ids = json.loads((directory / "ids.json").read_text())
        if not ids or not (directory / "params.index.json").exists():  # nothing to score (see build)
            return cls(None, ids)
        return cls(bm25s.BM25.load(str(directory), mmap=False, show_progress=False), ids)

    def df(self, token: str) -> int:
        """How many chunks contain a (stemmed) token."""
        if self._bm25 is None:
            return 0
        tid = self._bm25.vocab_dict.get(token)
        indptr = self._bm25.scores["indptr"]
        return 0 if tid is None or tid + 1 >= len(indptr) else int(indptr[tid + 1] - indptr[tid])

    def idf(self, token: str) -> float:
        """Inverse document frequency of a (stemmed) token; unseen tokens weigh most."""
        n, df = len(self.ids), self.df(token)
        return float(np.log(1 + (n - df + 0.5) / (df + 0.5)))

    def scores(self, query: str) -> np.ndarray:
        """BM25 score of `query` against every chunk (zeros when nothing matches)."""
        if self._bm25 is None:
            return np.zeros(len(self.ids), dtype=np.float32)
        tokens = [t for t in tokenize([query])[0] if t in self._bm25.vocab_dict]
        if not tokens:
            return np.zeros(len(self.ids), dtype=np.float32)
        return self._bm25.get_scores(tokens)
