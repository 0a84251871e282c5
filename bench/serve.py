"""The `serve` task: one index answered by a fresh process. Model and snapshot load, warm `ask`
latency (retrieve + answer) with per-force questions apart, retrieval alone, peak memory, the
naive LangChain retrieval (`Chroma.similarity_search`, k=4) over the same collection, keyword
scoring against rank-bm25's loop, and optionally a pyinstrument profile of warm asks."""

from __future__ import annotations

import time
from collections import Counter
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import yaml

from assistant.answer.cues import cues
from assistant.answer.terms import stems
from assistant.core import Assistant, Conversation
from assistant.settings import Settings
from bench.results import Latency, ServeResult
from bench.system import peak_rss_mb, worker_settings
from ingest.keyword import tokenize

PROFILE_ASKS, PROFILE_FORCE_ASKS = 15, 6
KEYWORD_QUESTIONS = 12
WARMUP_QUESTION = "What did the force say about stalking training?"


@dataclass
class Warm:
    """Seconds to a warm process: model, snapshot (from Chroma; again from the vector file), first ask."""

    model_s: float
    snapshot_s: float
    reload_s: float
    first_ask_s: float
    forces: int  # forces in the index


@dataclass
class Asks:
    """The timed asks: seconds by about-forces, the single-turn questions and their kind."""

    wall: dict[bool, list[float]] = field(default_factory=lambda: {False: [], True: []})
    cpu: dict[bool, list[float]] = field(default_factory=lambda: {False: [], True: []})
    singles: list[str] = field(default_factory=list)  # questions of one-turn items, for retrieval alone
    kinds: dict[bool, list[str]] = field(default_factory=lambda: {False: [], True: []})  # answered singles
    abstained: int = 0
    errors: list[str] = field(default_factory=list)


def task_serve(args: dict) -> dict:
    """Warm latencies of one index in a fresh process, then the LangChain baseline beside it."""
    settings = worker_settings(args)
    assistant = Assistant(settings)
    assistant.index.remove_vector_files()  # a copy of Chroma's vectors: time the load that writes it
    warm = warm_up(assistant, settings)
    asks = timed_asks(assistant, load_items(Path(args["questions"])))
    retrieve = timed_retrieve(assistant, asks.singles)
    result = ServeResult(
        model_load_s=round(warm.model_s, 3),
        snapshot_load_s=round(warm.snapshot_s, 3),
        snapshot_reload_s=round(warm.reload_s, 3),
        first_ask_s=round(warm.first_ask_s, 3),
        ask=Latency.of(asks.wall[False]),
        force=Latency.of(asks.wall[True]),
        ask_cpu=Latency.of(asks.cpu[False]),
        force_cpu=Latency.of(asks.cpu[True]),
        retrieve=retrieve,
        baseline=Latency(),
        abstained=asks.abstained,
        errors=asks.errors,
        forces_in_index=warm.forces,
        rss_mb=peak_rss_mb(),  # before the profile and the baseline
    )
    if args.get("profile"):
        profile_asks(assistant, asks.kinds, result)
    if args.get("baseline", True):
        baseline(assistant, settings, asks.singles, result)
    snap = assistant.retriever.snapshot()  # the one warm_up loaded: the index has not changed
    result.keyword_bm25s, result.keyword_rank_bm25 = keyword_before_after(snap, asks.singles[:KEYWORD_QUESTIONS])
    return result.model_dump()


def warm_up(assistant: Assistant, settings: Settings) -> Warm:
    """Load the model and the index, as the first question of a process would, timing each."""
    started = time.perf_counter()
    assistant.embedder.embed_query("warm up")
    model_s, started = time.perf_counter() - started, time.perf_counter()
    snap = assistant.retriever.snapshot()
    snapshot_s = time.perf_counter() - started
    reader = Assistant(settings)  # another process's load, from the vector file...
    reader.embedder = assistant.embedder  # ...with the model already loaded: the index load alone is timed
    started = time.perf_counter()
    reader.retriever.snapshot()
    reload_s, started = time.perf_counter() - started, time.perf_counter()
    assistant.ask(WARMUP_QUESTION)
    return Warm(model_s, snapshot_s, reload_s, time.perf_counter() - started, len(snap.force_names))


def load_items(path: Path) -> list[list[str]]:
    """The question set's conversations: each a list of turns."""
    items = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    return [list(item["turns"]) if item.get("turns") else [item["question"]] for item in items]


def forget_questions(assistant: Assistant) -> None:
    """Make the next ask a question this process has never seen. The retriever caches query
    vectors (an answerer scores one question more than once); the generated question sets repeat
    questions across items, and a benchmark of warm asks must not time a cache hit. The stems
    and status cues of retrieved sentences are cached too (a force question reads each once
    per force and clause); they are dropped as well, so a turn reuses only what it read itself."""
    assistant.retriever.forget_queries()
    stems.cache_clear()
    cues.cache_clear()


def timed_asks(assistant: Assistant, items: list[list[str]]) -> Asks:
    """Wall and CPU time of every turn; a turn that raises is reported and ends its conversation."""
    asks = Asks()
    for turns in items:
        conversation = Conversation()
        for question in turns:
            before = len(conversation.queries)
            forget_questions(assistant)
            started, cpu_started = time.perf_counter(), time.process_time()
            try:
                answer = assistant.ask(question, conversation)
            except Exception as exc:  # a bench reports a failing question and goes on
                asks.errors.append(f"{question!r}: {type(exc).__name__}: {exc}")
                break
            took, cpu_took = time.perf_counter() - started, time.process_time() - cpu_started
            about_forces = len(conversation.queries) > before and conversation.queries[-1].about_forces
            asks.wall[about_forces].append(took)
            asks.cpu[about_forces].append(cpu_took)
            asks.abstained += answer.abstained
            if len(turns) == 1:
                asks.kinds[about_forces].append(question)
        if len(turns) == 1:
            asks.singles.append(turns[0])
    return asks


def timed_retrieve(assistant: Assistant, questions: list[str]) -> Latency:
    """Our hybrid retrieval alone (embed + score), k=4."""
    seconds = []
    for question in questions:
        forget_questions(assistant)
        started = time.perf_counter()
        assistant.retrieve(question, k=4)
        seconds.append(time.perf_counter() - started)
    return Latency.of(seconds)


def baseline(assistant: Assistant, settings: Settings, questions: list[str], result: ServeResult) -> None:
    """LangChain's `Chroma.similarity_search`, k=4, over the same collection; and the memory after."""
    # langchain_chroma takes seconds to import, and is measured last so that its memory stays out of rss_mb
    from langchain_chroma import Chroma

    store = Chroma(
        client=assistant.index.client, collection_name=settings.collection, embedding_function=assistant.embedder
    )
    started = time.perf_counter()
    store.similarity_search(WARMUP_QUESTION, k=4)  # loads the HNSW index
    result.baseline_first_s = round(time.perf_counter() - started, 3)
    seconds = []
    for question in questions:
        started = time.perf_counter()
        store.similarity_search(question, k=4)
        seconds.append(time.perf_counter() - started)
    result.baseline = Latency.of(seconds)
    result.rss_with_baseline_mb = peak_rss_mb()


def keyword_before_after(snap, questions: list[str]) -> tuple[Latency, Latency]:
    """Keyword scoring of one question: bm25s (what the index uses) against rank-bm25's
    `BM25Okapi.get_scores`, which walks every document's term dictionary in Python per query
    term. rank-bm25 is not a dependency, so its scoring loop is restated here, on the same
    tokens (ingest.keyword.tokenize); measured last, so its memory stays out of the RSS figures."""
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


def profile_asks(assistant: Assistant, kinds: dict[bool, list[str]], result: ServeResult) -> None:
    """pyinstrument over warm asks: plain questions and "which forces" questions apart."""
    # pyinstrument is a dev dependency, loaded only when a profile is asked for
    from pyinstrument import Profiler
    from pyinstrument.renderers import ConsoleRenderer

    for about_forces, limit, name in (
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
            with suppress(Exception):  # the timed pass reports failing questions; a profile goes on
                assistant.ask(question)
        profiler.stop()
        session = profiler.last_session
        if session is None:
            continue
        header = f"{len(chosen)} warm asks, {session.duration * 1000:.0f} ms in all\n"
        setattr(result, name, header + ConsoleRenderer(unicode=False, color=False, short_mode=True).render(session))
        setattr(result, name + "_flat", ConsoleRenderer(unicode=False, color=False, flat=True).render(session))
