"""What a bench run measured: the targets, one pydantic model per measurement, and the run.

The models are written to bench-data/run-*.json as the raw figures of a run and read back
by `report.render`; a build is also kept beside its index (build.json) and reused. The
helpers here are pure: figures derived from the models, nothing measured.
"""

from __future__ import annotations

import re
import statistics

from pydantic import BaseModel, Field

# raw-encode at most this many of the embedded texts (an even sample beyond): the rate of an even
# sample is the rate of the whole, and a full raw pass at 100k would cost another hour
RAW_SAMPLE = 5_000


class Targets(BaseModel):
    """The targets of issues 3, 4, 7 and 18 (2 cores, CPU)."""

    ingest_ratio: float = 2.0  # ingest chunks/s >= 2 x raw sentence-transformers encode (issue 18)
    reingest_share: float = 0.02  # unchanged re-ingest <= 2% of the first ingest
    ask_p50_ms: float = 100.0  # at 100k chunks
    ask_p95_ms: float = 250.0  # at 100k chunks
    seed_ask_p50_ms: float = 50.0  # on the corpus (seed) index, issue 4
    force_ms: float = 300.0  # a "which forces" question with 43 forces, at 100k chunks
    cold_start_s: float = 10.0
    rss_mb: float = 2048.0  # at 100k chunks


TARGETS = Targets()


class Latency(BaseModel):
    n: int = 0
    p50_ms: float | None = None
    p95_ms: float | None = None
    max_ms: float | None = None

    @classmethod
    def of(cls, seconds: list[float]) -> Latency:
        if not seconds:
            return cls()
        ms = sorted(s * 1000 for s in seconds)
        return cls(
            n=len(ms),
            p50_ms=round(statistics.median(ms), 1),
            p95_ms=round(percentile(ms, 95), 1),
            max_ms=round(ms[-1], 1),
        )


class BuildResult(BaseModel):
    """A first ingest of a corpus, and raw encode of the same chunk texts in the same process."""

    built_at: str
    commit: str
    documents: int
    chunks: int
    embedded: int
    ingest_s: float
    ingest_cpu_s: float  # CPU time of the ingesting process (not its PDF worker)
    ingest_rss_mb: float
    raw_texts: int = 0  # how many of the embedded texts were raw-encoded (all, or an even sample)
    raw_load_s: float | None = None
    raw_encode_s: float | None = None
    raw_encode_cpu_s: float | None = None
    raw_threads: int | None = None  # torch threads of the raw encode (None: older builds, which used 1)
    batch_size: int = 64  # the encode batch of ingest and raw encode alike (64 until builds recorded it)
    load_during: float | None = None  # load average at the end of the build

    @property
    def ingest_rate(self) -> float:
        return self.embedded / self.ingest_s if self.ingest_s else 0.0

    @property
    def raw_rate(self) -> float | None:
        return self.raw_texts / self.raw_encode_s if self.raw_encode_s else None

    @property
    def ratio(self) -> float | None:
        return self.ingest_rate / self.raw_rate if self.raw_rate else None

    @property
    def cpu_ratio(self) -> float | None:
        """The same ratio in CPU seconds: steadier than wall time on a shared machine."""
        if not (self.raw_encode_cpu_s and self.raw_texts and self.ingest_cpu_s):
            return None
        return (self.embedded / self.ingest_cpu_s) / (self.raw_texts / self.raw_encode_cpu_s)


class ReingestResult(BaseModel):
    seconds: float
    embedded: int
    unchanged: int


class ServeResult(BaseModel):
    """Warm latencies and memory of one process answering one index."""

    model_load_s: float
    snapshot_load_s: float  # reads the vectors from Chroma and writes the vector file
    snapshot_reload_s: float | None = None  # another retriever's load, from the vector file
    first_ask_s: float
    ask: Latency
    force: Latency
    ask_cpu: Latency  # CPU time of the same asks: what wall time would be on an idle machine, roughly
    force_cpu: Latency
    retrieve: Latency  # our hybrid retrieval alone, k=4
    baseline: Latency  # langchain_chroma.Chroma.similarity_search, k=4, same collection
    baseline_first_s: float | None = None
    abstained: int = 0
    errors: list[str] = Field(default_factory=list)  # questions whose ask raised, with the exception
    forces_in_index: int = 0
    rss_mb: float  # peak while answering, before the baseline's HNSW index is loaded
    rss_with_baseline_mb: float | None = None
    keyword_bm25s: Latency = Field(default_factory=Latency)  # KeywordIndex.scores, one question
    keyword_rank_bm25: Latency = Field(default_factory=Latency)  # rank-bm25's scoring loop, same tokens
    profile_ask: str | None = None
    profile_ask_flat: str | None = None
    profile_force: str | None = None
    profile_force_flat: str | None = None


class ColdStart(BaseModel):
    seconds: list[float] = Field(default_factory=list)
    rss_mb: float | None = None
    error: str | None = None  # why `assistant ask` did not answer

    @property
    def worst(self) -> float | None:
        return max(self.seconds) if self.seconds else None


class ParseResult(BaseModel):
    files: int
    pages: int
    loader_s: float  # ingest.load.load_file (bounded worker process)
    pypdf_s: float  # pypdf directly, same files
    worker_start_s: float

    @property
    def loader_rate(self) -> float:
        return self.pages / self.loader_s if self.loader_s else 0.0

    @property
    def pypdf_rate(self) -> float:
        return self.pages / self.pypdf_s if self.pypdf_s else 0.0


class SizeResult(BaseModel):
    label: str  # "seed", "1k", "10k", "100k"
    requested: int | None  # chunks asked for (None: the seed corpus)
    fmt: str
    corpus_dir: str
    index_dir: str = ""
    build: BuildResult
    built_this_run: bool
    reingest: ReingestResult
    serve: ServeResult
    cold: ColdStart
    disk: dict[str, int]  # bytes per part of the index

    @property
    def corpus_seed(self) -> str:
        """The generator seed of this size's corpus, read from its directory name ("?" if none)."""
        m = re.search(r"seed(\d+)", self.corpus_dir)
        return m[1] if m else "?"


class Machine(BaseModel):
    cpu: str
    cores: int
    ram_gb: float
    os: str
    python: str
    versions: dict[str, str]
    load_start: tuple[float, float, float]
    load_end: tuple[float, float, float] | None = None
    commit: str


class BenchRun(BaseModel):
    started: str
    seconds: float = 0.0
    quick: bool
    machine: Machine
    sizes: list[SizeResult] = Field(default_factory=list)
    parse: ParseResult | None = None
    parse_corpus: str | None = None
    results_file: str = ""  # where the raw figures of this run are written (JSON)


def percentile(sorted_values: list[float], q: float) -> float:
    """Linear-interpolated percentile of an ascending list (numpy's default method)."""
    if len(sorted_values) == 1:
        return sorted_values[0]
    pos = (len(sorted_values) - 1) * q / 100
    lo = int(pos)
    hi = min(lo + 1, len(sorted_values) - 1)
    return sorted_values[lo] + (sorted_values[hi] - sorted_values[lo]) * (pos - lo)
