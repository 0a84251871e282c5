"""`assistant bench`: how the assistant's cost grows, from the seed corpus to 100k chunks.

One run measures, side by side and for each size: ingest throughput as a ratio to raw
`SentenceTransformer.encode` on the same chunk texts, re-ingest of an unchanged corpus, warm
`ask` latency (retrieve + extractive answer), per-force aggregation latency with 43 forces,
the naive LangChain retrieval (`Chroma.similarity_search`, k=4) over the same collection,
cold start, peak RSS and index size; plus the PDF parse rate and a pyinstrument profile of a
warm ask at the largest size. The results go into a dated section of docs/benchmarks.md
between `<!-- bench:start -->` and `<!-- bench:end -->`; the rest of the file is kept.

Every measurement that loads an index runs in its own process (`python -m assistant.bench
TASK ARGS`), so that one size's memory and caches never leak into another's figures.

The generated corpora and their indexes live under bench-data/<size>-seed<seed>-<format>/
(git-ignored) and are reused: embedding 100k chunks takes about an hour on 2 cores, so a
large index is built once per machine. Indexes up to FRESH_UP_TO chunks are rebuilt every
run, so that the ingest/encode ratio is always measured in the run that reports it.
"""

from __future__ import annotations

import json
import os
import platform
import re
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

from pydantic import BaseModel, Field

from assistant.settings import PROJECT_DIR, Settings

# Chunks per generated document, measured (2026-11-23) with the structure-aware chunker: paragraphs,
# table rows and page furniture make ~17 (PDF) and ~19 (text) chunks of a ~7,000-character document.
CHUNKS_PER_DOC = {"pdf": 17, "txt": 19}
FRESH_UP_TO = 2_000  # chunks: indexes this small are rebuilt each run (ingest ratio measured in the run)
PDF_UP_TO = 2_000  # chunks: corpora this small are PDFs; larger ones text, which generates 10x faster
RAW_SAMPLE = 5_000  # raw-encode at most this many of the embedded texts (an even sample beyond): the
# rate of an even sample is the rate of the whole, and a full raw pass at 100k would cost another hour
PDF_PARSE_DOCS = 40
COLD_RUNS = 2
PROFILE_ASKS, PROFILE_FORCE_ASKS = 15, 6
KEYWORD_QUESTIONS = 12
WARMUP_QUESTION = "What did the force say about stalking training?"
COLD_QUESTION = {
    "seed": "Which forces audited breach recording?",
    "generated": "Which forces have audited how breaches of orders are recorded?",
}
START, END = "<!-- bench:start -->", "<!-- bench:end -->"
# evals.gencorpus writes these beside the documents; ingest reports them as unsupported types
GENERATOR_SIDECARS = frozenset({"ground_truth.json", "questions.yaml", "compare.yaml"})


class Targets(BaseModel):
    """The targets of issues 3, 4 and 7 (2 cores, CPU)."""

    ingest_ratio: float = 0.85  # ingest chunks/s >= 0.85 x raw encode chunks/s
    reingest_share: float = 0.02  # unchanged re-ingest <= 2% of the first ingest
    ask_p50_ms: float = 100.0  # at 100k chunks
    ask_p95_ms: float = 250.0  # at 100k chunks
    seed_ask_p50_ms: float = 50.0  # on the corpus (seed) index, issue 4
    force_ms: float = 300.0  # a "which forces" question with 43 forces, at 100k chunks
    cold_start_s: float = 10.0
    rss_mb: float = 2048.0  # at 100k chunks


TARGETS = Targets()


# ---- results -------------------------------------------------------------------------------
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
            p95_ms=round(_percentile(ms, 95), 1),
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


def _percentile(sorted_values: list[float], q: float) -> float:
    """Linear-interpolated percentile of an ascending list (numpy's default method)."""
    if len(sorted_values) == 1:
        return sorted_values[0]
    pos = (len(sorted_values) - 1) * q / 100
    lo = int(pos)
    hi = min(lo + 1, len(sorted_values) - 1)
    return sorted_values[lo] + (sorted_values[hi] - sorted_values[lo]) * (pos - lo)


def peak_rss_mb() -> float:
    """This process's peak resident set (VmHWM), in MiB."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    import resource

    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)  # KiB on Linux


# ---- the plan ------------------------------------------------------------------------------
def parse_sizes(text: str) -> list[int]:
    """ "1000,10k,100000" -> [1000, 10000, 100000]. Raises ValueError with a sentence."""
    sizes = []
    for part in (p.strip().lower() for p in text.split(",") if p.strip()):
        m = re.fullmatch(r"(\d+)(k?)", part)
        if not m or int(m[1]) <= 0:
            raise ValueError(f"'{part}' is not a chunk count (use e.g. 1000,10000 or 1k,10k)")
        sizes.append(int(m[1]) * (1000 if m[2] else 1))
    if not sizes:
        raise ValueError("no sizes given (use e.g. --sizes 1000,10000)")
    return sorted(set(sizes))


def label(size: int | None) -> str:
    if size is None:
        return "seed"
    return f"{size // 1000}k" if size % 1000 == 0 else str(size)


class Plan(BaseModel):
    """Where one size's corpus and index live."""

    label: str
    requested: int | None
    n_docs: int
    fmt: str
    seed: int
    dir: Path
    corpus_dir: Path
    questions: Path

    @property
    def index_dir(self) -> Path:
        return self.dir / "index"

    @property
    def build_file(self) -> Path:
        return self.dir / "build.json"


def plan_for(size: int | None, seed: int, data_dir: Path, settings: Settings) -> Plan:
    if size is None:
        return Plan(
            label="seed",
            requested=None,
            n_docs=0,
            fmt="seed",
            seed=seed,
            dir=data_dir / "seed",
            corpus_dir=Path(settings.corpus_dir),
            questions=PROJECT_DIR / "evals" / "questions.yaml",
        )
    fmt = "pdf" if size <= PDF_UP_TO else "txt"
    directory = data_dir / f"{size}-seed{seed}-{fmt}"
    return Plan(
        label=label(size),
        requested=size,
        n_docs=max(1, round(size / CHUNKS_PER_DOC[fmt])),
        fmt=fmt,
        seed=seed,
        dir=directory,
        corpus_dir=directory / "corpus",
        questions=directory / "corpus" / "questions.yaml",
    )


def ensure_corpus(plan: Plan, say: Callable[[str], None]) -> None:
    """Generate the plan's corpus unless the same one (seed, size, format) is already there."""
    if plan.requested is None:
        return
    truth = plan.corpus_dir / "ground_truth.json"
    if truth.exists():
        head = json.loads(truth.read_text(encoding="utf-8"))
        if (head.get("seed"), head.get("n_docs"), head.get("format")) == (plan.seed, plan.n_docs, plan.fmt):
            return
    say(f"generating {plan.n_docs} {plan.fmt} documents into {plan.corpus_dir}")
    started = time.perf_counter()
    # evals/ is not an installed package: run the generator from the project directory
    subprocess.run(
        [
            sys.executable,
            "-m",
            "evals.gencorpus",
            str(plan.corpus_dir),
            "--docs",
            str(plan.n_docs),
            "--format",
            plan.fmt,
            "--seed",
            str(plan.seed),
        ],
        cwd=PROJECT_DIR,
        env=_child_env(),
        check=True,
        stdout=subprocess.DEVNULL,
    )
    say(f"  generated in {time.perf_counter() - started:.0f} s")


def reusable_build(plan: Plan) -> BuildResult | None:
    """The recorded build of this plan's index, when the index is still there."""
    if not plan.build_file.exists() or not (plan.index_dir / "manifest.sqlite3").exists():
        return None
    try:
        return BuildResult.model_validate_json(plan.build_file.read_text())
    except ValueError:
        return None


# ---- workers (each in its own process) -----------------------------------------------------
def _settings(args: dict) -> Settings:
    """The parent's settings, pointed at one size's corpus and index, always embedded Chroma."""
    base = json.loads(args["settings"])
    base.update(corpus_dir=args["corpus_dir"], index_dir=args["index_dir"], chroma_host=None)
    return Settings(**base)


def task_build(args: dict) -> dict:
    """Ingest from scratch, then raw-encode the same chunk texts with the same model."""
    from ingest.pipeline import ingest

    settings = _settings(args)
    cpu = time.process_time()
    report = ingest(settings, [Path(args["corpus_dir"])], rebuild=True)
    cpu = time.process_time() - cpu
    failed = [f for f in report.failed if Path(f.path).name not in GENERATOR_SIDECARS]
    if failed:
        raise RuntimeError(f"{len(failed)} files failed to ingest, e.g. {failed[0]}")
    result = BuildResult(
        built_at=datetime.now(UTC).isoformat(timespec="seconds"),
        commit=git_commit(),
        batch_size=settings.embed_batch_size,
        documents=report.documents,
        chunks=report.chunks,
        embedded=report.embedded,
        ingest_s=report.seconds,
        ingest_cpu_s=round(cpu, 2),
        ingest_rss_mb=peak_rss_mb(),
    )
    if args.get("raw", True) and report.embedded:
        texts = embedded_texts(settings)
        step = max(1, len(texts) // RAW_SAMPLE) if len(texts) > RAW_SAMPLE else 1
        sample = texts[::step][:RAW_SAMPLE]
        import torch
        from sentence_transformers import SentenceTransformer

        # The same threads as ingest's batches (ingest.embed.batch_threads): get_embedder leaves the
        # process on one thread for questions, and a raw encode on one thread is another experiment.
        torch.set_num_threads(os.cpu_count() or 1)
        result.raw_threads = torch.get_num_threads()
        started = time.perf_counter()
        model = SentenceTransformer(settings.model_path, device="cpu", local_files_only=True)
        result.raw_load_s = round(time.perf_counter() - started, 3)
        model.encode(sample[:16], batch_size=16)  # the first call starts torch's thread pool
        started, cpu = time.perf_counter(), time.process_time()
        model.encode(sample, batch_size=settings.embed_batch_size, normalize_embeddings=True)
        result.raw_encode_s = round(time.perf_counter() - started, 3)
        result.raw_encode_cpu_s = round(time.process_time() - cpu, 2)
        result.raw_texts = len(sample)
    result.load_during = round(os.getloadavg()[0], 1)
    return result.model_dump()


def embedded_texts(settings: Settings) -> list[str]:
    """Exactly what ingest embedded: each distinct chunk text with its document context."""
    from ingest.chunk import embedding_text
    from ingest.store import Index

    index = Index(settings)
    documents = {d.doc_id: d for d in index.documents()}
    seen: dict[str, str] = {}
    for chunk in index.chunks():
        if chunk.text_hash not in seen:
            seen[chunk.text_hash] = embedding_text(documents[chunk.doc_id], chunk.section, chunk.text)
    return list(seen.values())


def task_reingest(args: dict) -> dict:
    from ingest.pipeline import ingest

    report = ingest(_settings(args), [Path(args["corpus_dir"])])
    return ReingestResult(seconds=report.seconds, embedded=report.embedded, unchanged=report.unchanged).model_dump()


def load_items(path: Path) -> list[list[str]]:
    """The question set's conversations: each a list of turns."""
    import yaml

    items = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    return [list(item["turns"]) if item.get("turns") else [item["question"]] for item in items]


def forget_questions(assistant) -> None:
    """Make the next ask a question this process has never seen. The retriever caches query
    vectors (an answerer scores one question more than once); the generated question sets repeat
    questions across items, and a benchmark of warm asks must not time a cache hit."""
    cache = getattr(assistant.retriever, "_embed_query", None)
    if hasattr(cache, "cache_clear"):
        cache.cache_clear()


def task_serve(args: dict) -> dict:
    """Warm latencies of one index in a fresh process, then the LangChain baseline beside it."""
    from assistant.core import Assistant, Conversation
    from assistant.retrieve import Retriever
    from ingest.store import Index

    settings = _settings(args)
    Index(settings).remove_vector_files()  # a copy of Chroma's vectors: time the load that writes it
    assistant = Assistant(settings)
    started = time.perf_counter()
    assistant.embedder.embed_query("warm up")
    model_s, started = time.perf_counter() - started, time.perf_counter()
    snap = assistant.retriever.snapshot()
    snapshot_s, started = time.perf_counter() - started, time.perf_counter()
    Retriever(assistant.index, assistant.embedder.embed_query).snapshot()  # as another process would, from the file
    reload_s, started = time.perf_counter() - started, time.perf_counter()
    assistant.ask(WARMUP_QUESTION)
    first_ask_s = time.perf_counter() - started

    wall = {False: [], True: []}  # about forces? -> seconds
    cpu = {False: [], True: []}
    singles, abstained, errors = [], 0, []
    for turns in load_items(Path(args["questions"])):
        conversation = Conversation()
        for question in turns:
            before = len(conversation.queries)
            forget_questions(assistant)
            started, cpu_started = time.perf_counter(), time.process_time()
            try:
                answer = assistant.ask(question, conversation)
            except Exception as exc:  # a bench reports a failing question and goes on
                errors.append(f"{question!r}: {type(exc).__name__}: {exc}")
                break
            took, cpu_took = time.perf_counter() - started, time.process_time() - cpu_started
            about_forces = len(conversation.queries) > before and conversation.queries[-1].about_forces
            wall[about_forces].append(took)
            cpu[about_forces].append(cpu_took)
            abstained += answer.abstained
        if len(turns) == 1:
            singles.append(turns[0])
    retrieve = []
    for question in singles:
        forget_questions(assistant)
        started = time.perf_counter()
        assistant.retrieve(question, k=4)
        retrieve.append(time.perf_counter() - started)
    rss = peak_rss_mb()

    result = ServeResult(
        model_load_s=round(model_s, 3),
        snapshot_load_s=round(snapshot_s, 3),
        snapshot_reload_s=round(reload_s, 3),
        first_ask_s=round(first_ask_s, 3),
        ask=Latency.of(wall[False]),
        force=Latency.of(wall[True]),
        ask_cpu=Latency.of(cpu[False]),
        force_cpu=Latency.of(cpu[True]),
        retrieve=Latency.of(retrieve),
        baseline=Latency(),
        abstained=abstained,
        errors=errors,
        forces_in_index=len(snap.force_names),
        rss_mb=rss,
    )
    if args.get("profile"):
        profile_asks(assistant, singles, result)
    if args.get("baseline", True):
        from langchain_chroma import Chroma

        store = Chroma(
            client=assistant.index.client, collection_name=settings.collection, embedding_function=assistant.embedder
        )
        started = time.perf_counter()
        store.similarity_search(WARMUP_QUESTION, k=4)  # loads the HNSW index
        result.baseline_first_s = round(time.perf_counter() - started, 3)
        baseline = []
        for question in singles:
            started = time.perf_counter()
            store.similarity_search(question, k=4)
            baseline.append(time.perf_counter() - started)
        result.baseline = Latency.of(baseline)
        result.rss_with_baseline_mb = peak_rss_mb()
    result.keyword_bm25s, result.keyword_rank_bm25 = keyword_before_after(snap, singles[:KEYWORD_QUESTIONS])
    return result.model_dump()


def keyword_before_after(snap, questions: list[str]) -> tuple[Latency, Latency]:
    """Keyword scoring of one question: bm25s (what the index uses) against rank-bm25's
    `BM25Okapi.get_scores`, which walks every document's term dictionary in Python per query
    term. rank-bm25 is not a dependency, so its scoring loop is restated here, on the same
    tokens (ingest.keyword.tokenize); measured last, so its memory stays out of the RSS figures."""
    from collections import Counter

    import numpy as np

    from ingest.keyword import tokenize

    if not questions or not snap.chunks:
        return Latency(), Latency()
    bm25s_times = []
    for question in questions:
        started = time.perf_counter()
        snap.keyword.scores(question)
        bm25s_times.append(time.perf_counter() - started)

    doc_freqs = [Counter(tokens) for tokens in tokenize(snap.chunks.texts())]
    doc_len = np.array([sum(f.values()) for f in doc_freqs], dtype=np.float64)
    avgdl, n, k1, b = doc_len.mean(), len(doc_freqs), 1.5, 0.75
    df = Counter(term for f in doc_freqs for term in f)
    idf = {t: np.log((n - d + 0.5) / (d + 0.5)) for t, d in df.items()}  # BM25Okapi's idf (before its floor)
    rank_times = []
    for question in questions:
        started = time.perf_counter()
        score = np.zeros(n)
        for term in tokenize([question])[0]:
            q_freq = np.array([(f.get(term) or 0) for f in doc_freqs])
            score += (idf.get(term) or 0) * (q_freq * (k1 + 1) / (q_freq + k1 * (1 - b + b * doc_len / avgdl)))
        rank_times.append(time.perf_counter() - started)
    return Latency.of(bm25s_times), Latency.of(rank_times)


def profile_asks(assistant, questions: list[str], result: ServeResult) -> None:
    """pyinstrument over warm asks: plain questions and "which forces" questions apart."""
    from pyinstrument import Profiler
    from pyinstrument.renderers import ConsoleRenderer

    from assistant.understand import understand

    kinds = {True: [], False: []}
    for question in questions:
        kinds[understand(question).about_forces].append(question)
    for about_forces, limit, field in (
        (False, PROFILE_ASKS, "profile_ask"),
        (True, PROFILE_FORCE_ASKS, "profile_force"),
    ):
        chosen = kinds[about_forces][:limit]
        if not chosen:
            continue
        profiler = Profiler(interval=0.0005)
        profiler.start()
        for question in chosen:
            forget_questions(assistant)
            try:
                assistant.ask(question)
            except Exception:  # already reported by the timed pass
                pass
        profiler.stop()
        session = profiler.last_session
        header = f"{len(chosen)} warm asks, {session.duration * 1000:.0f} ms in all\n"
        setattr(result, field, header + ConsoleRenderer(unicode=False, color=False, short_mode=True).render(session))
        setattr(result, field + "_flat", ConsoleRenderer(unicode=False, color=False, flat=True).render(session))


def task_parse(args: dict) -> dict:
    """Pages per second through the ingest loader (bounded worker process) and through pypdf."""
    from pypdf import PdfReader

    from ingest.load import load_file

    files = sorted(Path(args["dir"]).glob("*.pdf"))[:PDF_PARSE_DOCS]
    started = time.perf_counter()
    load_file(files[0])  # starts the loader's worker process
    worker_start = time.perf_counter() - started
    started = time.perf_counter()
    pages = sum(len(load_file(f)) for f in files)
    loader_s = time.perf_counter() - started
    started = time.perf_counter()
    for f in files:
        for page in PdfReader(f).pages:
            page.extract_text()
    pypdf_s = time.perf_counter() - started
    return ParseResult(
        files=len(files),
        pages=pages,
        loader_s=round(loader_s, 3),
        pypdf_s=round(pypdf_s, 3),
        worker_start_s=round(worker_start, 3),
    ).model_dump()


TASKS = {"build": task_build, "reingest": task_reingest, "serve": task_serve, "parse": task_parse}


def run_task(task: str, args: dict, timeout: float | None = None) -> dict:
    """Run a worker in a fresh process; its last stdout line is its JSON result."""
    proc = subprocess.run(
        [sys.executable, "-m", "assistant.bench", task, json.dumps(args)],
        cwd=PROJECT_DIR,
        env=_child_env(),
        stdout=subprocess.PIPE,
        text=True,
        timeout=timeout,
    )
    lines = proc.stdout.strip().splitlines()
    if proc.returncode != 0 or not lines:
        raise RuntimeError(f"bench worker '{task}' failed (exit {proc.returncode}); its error is above")
    return json.loads(lines[-1])


def _child_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("ASSISTANT_CHROMA_HOST", "ASSISTANT_CHROMA_PORT")}
    env.update(
        HF_HUB_OFFLINE="1",
        TRANSFORMERS_OFFLINE="1",
        ANONYMIZED_TELEMETRY="False",
        TOKENIZERS_PARALLELISM="false",
        PYTHONUNBUFFERED="1",
    )
    env.update(extra or {})
    return env


def cold_start(plan: Plan) -> ColdStart:
    """Process start to the first answer line of `assistant ask --json`, on an existing index."""
    question = COLD_QUESTION["seed" if plan.requested is None else "generated"]
    env = _child_env({"ASSISTANT_INDEX_DIR": str(plan.index_dir), "ASSISTANT_CORPUS_DIR": str(plan.corpus_dir)})
    seconds, rss = [], 0.0
    for _ in range(COLD_RUNS):
        started = time.perf_counter()
        proc = subprocess.Popen(
            [sys.executable, "-m", "assistant", "ask", question, "--json"],
            cwd=PROJECT_DIR,
            env=env,
            stdout=subprocess.PIPE,
            text=True,
        )
        line = proc.stdout.readline()
        took = time.perf_counter() - started
        proc.stdout.read()
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0 or not line.strip().startswith("{"):
            return ColdStart(error=f"`assistant ask` exited with {proc.returncode} before answering")
        seconds.append(round(took, 2))
        rss = max(rss, usage.ru_maxrss / 1024)
    return ColdStart(seconds=seconds, rss_mb=round(rss, 1))


def disk_usage(index_dir: Path) -> dict[str, int]:
    """Bytes on disk per part of an index: manifest, chroma, keyword."""
    parts = {"manifest": 0, "chroma": 0, "keyword": 0, "other": 0}
    for path in index_dir.rglob("*"):
        if not path.is_file():
            continue
        top = path.relative_to(index_dir).parts[0]
        key = (
            "manifest"
            if top.startswith("manifest")
            else "chroma"
            if top == "chroma"
            else "keyword"
            if top.startswith("keyword")
            else "other"
        )
        parts[key] += path.stat().st_blocks * 512
    return parts


# ---- the run -------------------------------------------------------------------------------
def git_commit() -> str:
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=PROJECT_DIR, capture_output=True, text=True, timeout=10
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=PROJECT_DIR,
            capture_output=True,
            text=True,
            timeout=10,
        ).stdout.strip()
        return f"{head}{'+dirty' if dirty else ''}" or "unknown"
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def machine() -> Machine:
    cpu, ram_kb = platform.processor() or "unknown", 0
    try:
        cpu = next(
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        )
        ram_kb = int(
            next(
                line.split()[1]
                for line in Path("/proc/meminfo").read_text().splitlines()
                if line.startswith("MemTotal:")
            )
        )
    except (OSError, StopIteration):
        pass
    versions = {}
    for package in ("torch", "sentence-transformers", "chromadb", "langchain-chroma", "bm25s", "pypdf", "numpy"):
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = "absent"
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 0
    return Machine(
        cpu=cpu,
        cores=cores,
        ram_gb=round(ram_kb / 2**20, 1),
        os=f"{platform.system()} {platform.release()}",
        python=platform.python_version(),
        versions=versions,
        load_start=os.getloadavg(),
        commit=git_commit(),
    )


def bench_size(
    plan: Plan, settings: Settings, *, rebuild: bool, profile: bool, say: Callable[[str], None]
) -> SizeResult:
    ensure_corpus(plan, say)
    args = {
        "settings": settings.model_dump_json(),
        "corpus_dir": str(plan.corpus_dir),
        "index_dir": str(plan.index_dir),
    }
    fresh = rebuild or plan.requested is None or plan.requested <= FRESH_UP_TO
    build = None if fresh else reusable_build(plan)
    built = build is None
    if built:
        say(f"[{plan.label}] ingesting {plan.corpus_dir} from scratch, then raw encode of the same texts")
        build = BuildResult(**run_task("build", {**args, "raw": plan.requested is not None}))
        plan.build_file.write_text(build.model_dump_json(indent=1))
        say(
            f"  {build.chunks} chunks in {build.ingest_s:.1f} s ({build.ingest_rate:.1f} chunks/s); raw encode "
            + (f"{build.raw_rate:.1f} chunks/s; ratio {build.ratio:.2f}" if build.ratio else "not measured")
        )
    else:
        say(f"[{plan.label}] reusing the index built {build.built_at} ({build.chunks} chunks)")
    say(f"[{plan.label}] re-ingest of the unchanged corpus")
    reingest = ReingestResult(**run_task("reingest", args))
    say(f"  {reingest.seconds:.2f} s, {reingest.embedded} embedded")
    say(
        f"[{plan.label}] warm asks, per-force questions and the LangChain baseline"
        + (" (+ profile)" if profile else "")
    )
    serve = ServeResult(**run_task("serve", {**args, "questions": str(plan.questions), "profile": profile}))
    say(
        f"  ask p50 {serve.ask.p50_ms} ms, force p50 {serve.force.p50_ms} ms, baseline p50 {serve.baseline.p50_ms} ms,"
        f" RSS {serve.rss_mb:.0f} MiB"
    )
    say(f"[{plan.label}] cold start")
    cold = cold_start(plan)
    say(f"  {cold.error or ', '.join(f'{s:.1f}' for s in cold.seconds) + ' s'}")
    return SizeResult(
        label=plan.label,
        requested=plan.requested,
        fmt=plan.fmt,
        corpus_dir=_rel(plan.corpus_dir),
        index_dir=_rel(plan.index_dir),
        build=build,
        built_this_run=built,
        reingest=reingest,
        serve=serve,
        cold=cold,
        disk=disk_usage(plan.index_dir),
    )


def pdf_parse(plans: list[Plan], seed: int, data_dir: Path, say: Callable[[str], None]) -> tuple[ParseResult, Path]:
    """The parse rate on a generated PDF set: a PDF corpus of this run, or a small one of its own."""
    directory = next((p.corpus_dir for p in plans if p.fmt == "pdf"), None)
    if directory is None:
        base = data_dir / f"pdf{PDF_PARSE_DOCS}-seed{seed}"
        parse_plan = Plan(
            label="pdf",
            requested=PDF_PARSE_DOCS * CHUNKS_PER_DOC["pdf"],
            n_docs=PDF_PARSE_DOCS,
            fmt="pdf",
            seed=seed,
            dir=base,
            corpus_dir=base / "corpus",
            questions=Path(),
        )
        ensure_corpus(parse_plan, say)
        directory = parse_plan.corpus_dir
    say(f"PDF parse rate on {directory}")
    return ParseResult(**run_task("parse", {"dir": str(directory)})), directory


def run(
    settings: Settings,
    sizes: list[int],
    *,
    quick: bool = False,
    seed: int = 7,
    data_dir: Path = PROJECT_DIR / "bench-data",
    rebuild: bool = False,
    say: Callable[[str], None] = print,
) -> BenchRun:
    """Benchmark the seed corpus and each size (in chunks); `quick`: the seed corpus only."""
    started = time.perf_counter()
    data_dir.mkdir(parents=True, exist_ok=True)
    result = BenchRun(started=datetime.now().astimezone().isoformat(timespec="seconds"), quick=quick, machine=machine())
    plans = [plan_for(None, seed, data_dir, settings)]
    if not quick:
        plans += [plan_for(size, seed, data_dir, settings) for size in sizes]
    # raw figures: one file per set of sizes, so that a run of other sizes keeps its own
    result.results_file = str(data_dir / f"run-{'-'.join(p.label for p in plans)}.json")
    for plan in plans:
        result.sizes.append(bench_size(plan, settings, rebuild=rebuild, profile=plan is plans[-1], say=say))
        Path(result.results_file).write_text(result.model_dump_json(indent=1))  # kept if a later size fails
    if not quick:
        result.parse, parse_dir = pdf_parse(plans, seed, data_dir, say)
        result.parse_corpus = _rel(parse_dir)
    result.machine.load_end = os.getloadavg()
    result.seconds = round(time.perf_counter() - started, 1)
    Path(result.results_file).write_text(result.model_dump_json(indent=1))
    return result


def _rel(path: Path) -> str:
    try:
        return str(Path(path).resolve().relative_to(PROJECT_DIR))
    except ValueError:
        return str(path)


# ---- the report ----------------------------------------------------------------------------
def _ms(value: float | None) -> str:
    return "—" if value is None else f"{value:,.0f}" if value >= 100 else f"{value:.1f}"


def _mib(value: float | None) -> str:
    return "—" if value is None else f"{value:,.0f} MiB"


def _pair(lat: Latency) -> str:
    return f"{_ms(lat.p50_ms)} / {_ms(lat.p95_ms)} ms"


def _judged(value: float | None, limit: float, text: str, at_least: bool = False) -> str:
    """`text` with "met" or "not met" against `limit` ("—" when nothing was measured)."""
    if value is None:
        return "—"
    ok = value >= limit if at_least else value <= limit
    return f"{text} ({'met' if ok else '**not met**'})"


def _growth(run: BenchRun, get: Callable[[SizeResult], float | None]) -> str:
    """How a figure grows between the two largest generated sizes."""
    points = [(s.build.chunks, get(s)) for s in run.sizes if s.requested is not None and get(s)]
    if len(points) < 2:
        return "—"
    (n1, v1), (n2, v2) = points[-2], points[-1]
    return f"×{v2 / v1:.2f} for ×{n2 / n1:.0f} chunks"


def _header(run: BenchRun) -> list[str]:
    m = run.machine
    load_end = (m.load_end or m.load_start)[0]
    busy = max(m.load_start[0], load_end) > 0.75 * m.cores
    return [
        f"## Benchmarks: `assistant bench` run of {run.started[:10]}",
        "",
        f"Machine: {m.cpu}, {m.cores} cores, {m.ram_gb:g} GB RAM, {m.os}; Python {m.python}, "
        + ", ".join(f"{k} {v}" for k, v in m.versions.items())
        + ".",
        f"Code at commit {m.commit}. Run started {run.started}, took {run.seconds / 60:.1f} min"
        + (" (quick: seed corpus only)" if run.quick else "")
        + ".",
        f"Load average {m.load_start[0]:.1f} at the start, {load_end:.1f} at the end"
        + (
            ": the machine was shared with other work, so wall times carry that noise; the CPU-time rows are steadier."
            if busy
            else "."
        ),
        "",
        "Reproduce: `python -m assistant bench` (seed corpus, 1k and 10k chunks); `--sizes 1k,10k,100k` adds 100k "
        "(the first time it embeds ~100k chunks, about an hour on 2 cores; the index is then kept under "
        "`bench-data/` and reused); `--quick` for the seed corpus alone.",
    ]


def _targets_table(run: BenchRun, t: Targets) -> list[str]:
    sizes = run.sizes
    lines = [
        "### Against the targets",
        "",
        "| measure | target | " + " | ".join(s.label for s in sizes) + " |",
        "|---|---|" + "---|" * len(sizes),
    ]

    def row(name: str, target: str, cell: Callable[[SizeResult], str]) -> None:
        lines.append(f"| {name} | {target} | " + " | ".join(cell(s) for s in sizes) + " |")

    def ingest_ratio(s: SizeResult) -> str:
        b = s.build
        cpu = f" (CPU {b.cpu_ratio:.2f})" if b.cpu_ratio else ""
        return _judged(b.ratio, t.ingest_ratio, f"{b.ratio or 0:.2f}{cpu}", at_least=True)

    def reingest(s: SizeResult) -> str:
        share = s.reingest.seconds / s.build.ingest_s if s.build.ingest_s else None
        embeds = f", {s.reingest.embedded} embedded" if s.reingest.embedded else ""
        return _judged(share if not s.reingest.embedded else 1.0, t.reingest_share, f"{share or 0:.1%}{embeds}")

    def ask_p50(s: SizeResult) -> str:
        limit = t.seed_ask_p50_ms if s.requested is None else t.ask_p50_ms
        return _judged(s.serve.ask.p50_ms, limit, f"{_ms(s.serve.ask.p50_ms)} ms")

    def cold(s: SizeResult) -> str:
        return (
            f"failed: {s.cold.error}"
            if s.cold.error
            else _judged(s.cold.worst, t.cold_start_s, f"{s.cold.worst or 0:.1f} s")
        )

    row("ingest throughput / raw encode", f"≥ {t.ingest_ratio:g}", ingest_ratio)
    row("unchanged re-ingest / first ingest", f"≤ {t.reingest_share:.0%}, 0 embedded", reingest)
    row("warm ask p50", f"≤ {t.ask_p50_ms:g} ms at 100k; ≤ {t.seed_ask_p50_ms:g} ms on the seed index", ask_p50)
    row(
        "warm ask p95",
        f"≤ {t.ask_p95_ms:g} ms at 100k",
        lambda s: _judged(s.serve.ask.p95_ms, t.ask_p95_ms, f"{_ms(s.serve.ask.p95_ms)} ms"),
    )
    row(
        '"which forces" question p95',
        f"≤ {t.force_ms:g} ms at 100k with 43 forces",
        lambda s: _judged(s.serve.force.p95_ms, t.force_ms, f"{_ms(s.serve.force.p95_ms)} ms"),
    )
    row("cold start (worst run)", f"≤ {t.cold_start_s:g} s", cold)
    row(
        "peak RSS answering",
        f"≤ {t.rss_mb / 1024:g} GB at 100k",
        lambda s: _judged(s.serve.rss_mb, t.rss_mb, _mib(s.serve.rss_mb)),
    )
    if not any(s.requested and s.requested >= 100_000 for s in sizes):
        lines += [
            "",
            "The 100k targets are judged at each size measured; 100k was not part of this run (the growth "
            "column below gives the trend).",
        ]
    return lines


def _size_table(run: BenchRun) -> list[str]:
    sizes = run.sizes
    lines = [
        "### Per size",
        "",
        "| | " + " | ".join(s.label for s in sizes) + " | growth |",
        "|---|" + "---|" * len(sizes) + "---|",
    ]

    def fig(
        name: str, cell: Callable[[SizeResult], str], growth: Callable[[SizeResult], float | None] | None = None
    ) -> None:
        trend = _growth(run, growth) if growth else ""
        lines.append(f"| {name} | " + " | ".join(cell(s) for s in sizes) + f" | {trend} |")

    def disk(s: SizeResult) -> str:
        mib = {k: v / 2**20 for k, v in s.disk.items()}
        return f"{sum(mib.values()):,.1f} MiB ({mib['manifest']:,.1f} + {mib['chroma']:,.1f} + {mib['keyword']:,.1f})"

    def first_ingest(s: SizeResult) -> str:
        built = "" if s.built_this_run else f" (built {s.build.built_at[:10]})"
        return f"{s.build.ingest_s:,.1f} s, {s.build.ingest_rate:.1f} chunks/s{built}"

    def raw(s: SizeResult) -> str:
        b = s.build
        if b.raw_rate is None:
            return "—"
        sampled = f", {b.raw_texts:,} sampled" if b.raw_texts < b.embedded else ""
        threads = f", {b.raw_threads} threads" if b.raw_threads else ", 1 thread"
        return f"{b.raw_rate:.1f} chunks/s ({b.raw_encode_s:,.1f} s{sampled}{threads}; model load {b.raw_load_s:.1f} s)"

    def keyword(s: SizeResult) -> str:
        k = s.serve
        if not k.keyword_bm25s.n:
            return "—"
        return f"{_ms(k.keyword_bm25s.p50_ms)} vs {_ms(k.keyword_rank_bm25.p50_ms)} ms"

    fig("corpus", lambda s: "seed (corpus/)" if s.requested is None else f"generated {s.fmt}, seed {run_seed(s)}")
    fig("documents / chunks", lambda s: f"{s.build.documents:,} / {s.build.chunks:,}")
    fig("forces in the index", lambda s: str(s.serve.forces_in_index))
    fig("index on disk (manifest + Chroma + BM25)", disk, lambda s: sum(s.disk.values()))
    fig("first ingest", first_ingest, lambda s: s.build.ingest_s)
    fig("raw `SentenceTransformer.encode` of the same texts", raw)
    fig("peak RSS of the ingest", lambda s: _mib(s.build.ingest_rss_mb), lambda s: s.build.ingest_rss_mb)
    fig(
        "unchanged re-ingest",
        lambda s: f"{s.reingest.seconds:.2f} s, {s.reingest.embedded} embedded",
        lambda s: s.reingest.seconds,
    )
    fig(
        "warm process: model load / index snapshot load (vectors from Chroma; again from the vector file)",
        lambda s: (
            f"{s.serve.model_load_s:.1f} s / {s.serve.snapshot_load_s:.2f} s"
            + (f"; {s.serve.snapshot_reload_s:.2f} s" if s.serve.snapshot_reload_s is not None else "")
        ),
        lambda s: s.serve.snapshot_load_s,
    )
    fig("warm ask p50 / p95 (n)", lambda s: f"{_pair(s.serve.ask)} ({s.serve.ask.n})", lambda s: s.serve.ask.p50_ms)
    fig(
        '"which forces" p50 / p95 (n)',
        lambda s: f"{_pair(s.serve.force)} ({s.serve.force.n})",
        lambda s: s.serve.force.p50_ms,
    )
    fig("CPU time per warm ask p50 / p95", lambda s: _pair(s.serve.ask_cpu), lambda s: s.serve.ask_cpu.p50_ms)
    fig('CPU time per "which forces" p50 / p95', lambda s: _pair(s.serve.force_cpu), lambda s: s.serve.force_cpu.p50_ms)
    fig(
        "our hybrid retrieval alone (embed + score), k=4, p50 / p95",
        lambda s: _pair(s.serve.retrieve),
        lambda s: s.serve.retrieve.p50_ms,
    )
    fig(
        "LangChain baseline `Chroma.similarity_search`, k=4, p50 / p95",
        lambda s: _pair(s.serve.baseline),
        lambda s: s.serve.baseline.p50_ms,
    )
    fig(
        "baseline's first query (loads the HNSW index)",
        lambda s: "—" if s.serve.baseline_first_s is None else f"{s.serve.baseline_first_s * 1000:,.0f} ms",
    )
    fig(
        "keyword scoring of a question p50: bm25s vs rank-bm25's loop",
        keyword,
        lambda s: s.serve.keyword_rank_bm25.p50_ms,
    )
    fig("cold start runs", lambda s: s.cold.error or ", ".join(f"{x:.1f}" for x in s.cold.seconds) + " s")
    fig(
        "peak RSS answering (with the baseline's HNSW loaded)",
        lambda s: f"{_mib(s.serve.rss_mb)} ({_mib(s.serve.rss_with_baseline_mb)})",
        lambda s: s.serve.rss_mb,
    )
    fig("peak RSS of the cold-start process", lambda s: _mib(s.cold.rss_mb), lambda s: s.cold.rss_mb)

    failing = [(s.label, e) for s in sizes for e in s.serve.errors]
    if failing:
        lines += ["", f"{len(failing)} question(s) raised instead of answering (left out of the latencies):", ""]
        lines += [f"- {size}: {error}" for size, error in failing]
    return lines


def _parse_section(run: BenchRun) -> list[str]:
    p = run.parse
    if p is None:
        return []
    return [
        "### PDF parse rate",
        "",
        f"{p.files} generated PDFs ({p.pages} pages, `{run.parse_corpus}`): {p.loader_rate:.1f} pages/s "
        f"through `ingest.load.load_file` (pypdf in the bounded worker process, which starts in "
        f"{p.worker_start_s:.2f} s once per ingest); {p.pypdf_rate:.1f} pages/s with pypdf called directly.",
    ]


def _method_section(run: BenchRun) -> list[str]:
    lines = ["### How the benchmark corpora were built and measured", ""]
    for s in run.sizes:
        if s.requested is None:
            lines.append(
                f"- seed: the documents of `{s.corpus_dir}`, indexed afresh into `{s.index_dir}`; "
                "questions from `evals/questions.yaml`."
            )
            continue
        how = (
            "ingested afresh in this run"
            if s.built_this_run
            else f"ingested once on {s.build.built_at[:10]} at commit {s.build.commit} and reused"
        )
        lines.append(
            f"- {s.label}: `python -m evals.gencorpus {s.corpus_dir} --docs {s.build.documents} "
            f"--format {s.fmt} --seed {run_seed(s)}`; {how} by `ingest.pipeline.ingest` (the bundled "
            f"all-MiniLM-L6-v2 on CPU, batch {s.build.batch_size}, normalised; {s.build.embedded:,} texts "
            f"embedded in {s.build.ingest_s / 60:.1f} min); questions from the generator's `questions.yaml` "
            f"({s.serve.ask.n + s.serve.force.n} turns)."
        )
    lines.append(
        "- Each measurement that loads an index runs in a fresh process per size (`python -m assistant.bench "
        "TASK`), so sizes share no memory or caches. Warm latencies are wall time around `Assistant.ask` after one "
        "warm-up question, with the retriever's query-vector cache cleared before each turn (the question sets "
        'repeat questions); "which forces" turns are those routed to per-force retrieval. The raw-encode rate is '
        "`SentenceTransformer.encode` (ingest's batch size) on exactly the texts ingest embedded, or an even sample of "
        f"{RAW_SAMPLE:,} of them, in the same process right after the ingest. Cold start is wall time from "
        "`python -m assistant ask ... --json` starting to its first output line (OS file cache warm). RSS is "
        "the process's VmHWM."
    )
    return lines


def _profile_section(run: BenchRun) -> list[str]:
    big = run.sizes[-1]
    if not (big.serve.profile_ask or big.serve.profile_force):
        return []
    lines = [
        f"### Profile: what dominated a warm ask at {big.label} ({big.build.chunks:,} chunks)",
        "",
        "pyinstrument (0.5 ms sampling) over warm asks after the timed ones: functions by self time, then "
        "the call tree.",
        "",
    ]
    for title, flat, tree in (
        ("Plain questions", big.serve.profile_ask_flat, big.serve.profile_ask),
        ('"Which forces" questions', big.serve.profile_force_flat, big.serve.profile_force),
    ):
        if tree:
            lines += [
                f"#### {title}",
                "",
                "```text",
                *_top_lines(flat, 14),
                "```",
                "",
                "<details><summary>call tree</summary>",
                "",
                "```text",
                *_top_lines(tree, 70),
                "```",
                "",
                "</details>",
                "",
            ]
    return lines


def render(run: BenchRun, targets: Targets = TARGETS) -> str:
    """The Markdown section (between the bench markers) for one run."""
    parts = [
        _header(run),
        _targets_table(run, targets),
        _size_table(run),
        _parse_section(run),
        _method_section(run),
        _profile_section(run),
    ]
    body = "\n\n".join("\n".join(part).rstrip("\n") for part in parts if part)
    return f"{START}\n{body}\n{END}"


def run_seed(size: SizeResult) -> str:
    m = re.search(r"seed(\d+)", size.corpus_dir)
    return m[1] if m else "?"


def _top_lines(text: str | None, n: int) -> list[str]:
    """The first `n` lines of a pyinstrument rendering, without its banner."""
    banner = re.compile(
        r"Recorded:|Samples:|Duration:|CPU time:|Program:|/_/|_/\s+v\d|Profile at|"
        r"To view this report|^\s*pyinstrument\b"
    )
    kept = [
        line.rstrip()
        for line in (text or "").splitlines()
        if line.strip() and not banner.search(line) and not set(line.strip()) <= set("_./\\| ")
    ]
    return kept[:n]


def write_section(path: Path, section: str) -> None:
    """Put `section` between the bench markers of `path`, keeping everything else in the file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    if START in text and END in text:
        before, rest = text.split(START, 1)
        after = rest.split(END, 1)[1]
        text = before + section + after
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    path.write_text(text, encoding="utf-8")


# ---- worker entry point --------------------------------------------------------------------
def main(argv: list[str]) -> int:
    """`python -m assistant.bench TASK ARGS_JSON`: run one worker, print its JSON result."""
    if len(argv) != 2 or argv[0] not in TASKS:
        print(f"usage: python -m assistant.bench {{{','.join(TASKS)}}} ARGS_JSON", file=sys.stderr)
        return 2
    result = TASKS[argv[0]](json.loads(argv[1]))
    sys.stdout.flush()
    print(json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
