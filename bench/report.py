"""The Markdown of a bench run: a dated section of docs/benchmarks.md, between
`<!-- bench:start -->` and `<!-- bench:end -->`, that replaces only its own part of the file.

`render(run)` writes the header (machine, commit, load), the figures against the targets, a
table per size with the growth between the two largest sizes, the PDF parse rate, how the
corpora were built and measured, and the profile of a warm ask at the largest size.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from bench.results import RAW_SAMPLE, TARGETS, BenchRun, Latency, SizeResult, Targets

START, END = "<!-- bench:start -->", "<!-- bench:end -->"

Cell = Callable[[SizeResult], str]
Figure = Callable[[SizeResult], float | None]
TargetCell = Callable[[SizeResult, Targets], str]


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


# ---- figures -----------------------------------------------------------------------------
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


def _growth(run: BenchRun, get: Figure) -> str:
    """How a figure grows between the two largest generated sizes."""
    points = [(s.build.chunks, value) for s in run.sizes if s.requested is not None and (value := get(s))]
    if len(points) < 2:
        return "—"
    (n1, v1), (n2, v2) = points[-2], points[-1]
    return f"×{v2 / v1:.2f} for ×{n2 / n1:.0f} chunks"


# ---- the header --------------------------------------------------------------------------
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


# ---- against the targets -----------------------------------------------------------------
def _ingest_ratio(s: SizeResult, t: Targets) -> str:
    b = s.build
    cpu = f" (CPU {b.cpu_ratio:.2f})" if b.cpu_ratio else ""
    return _judged(b.ratio, t.ingest_ratio, f"{b.ratio or 0:.2f}{cpu}", at_least=True)


def _reingest_share(s: SizeResult, t: Targets) -> str:
    share = s.reingest.seconds / s.build.ingest_s if s.build.ingest_s else None
    embeds = f", {s.reingest.embedded} embedded" if s.reingest.embedded else ""
    return _judged(share if not s.reingest.embedded else 1.0, t.reingest_share, f"{share or 0:.1%}{embeds}")


def _ask_p50(s: SizeResult, t: Targets) -> str:
    limit = t.seed_ask_p50_ms if s.requested is None else t.ask_p50_ms
    return _judged(s.serve.ask.p50_ms, limit, f"{_ms(s.serve.ask.p50_ms)} ms")


def _cold_worst(s: SizeResult, t: Targets) -> str:
    if s.cold.error:
        return f"failed: {s.cold.error}"
    return _judged(s.cold.worst, t.cold_start_s, f"{s.cold.worst or 0:.1f} s")


def _target_rows(t: Targets) -> list[tuple[str, str, TargetCell]]:
    """(measure, target, cell) of each row of the targets table."""
    return [
        ("ingest throughput / raw encode", f"≥ {t.ingest_ratio:g}", _ingest_ratio),
        ("unchanged re-ingest / first ingest", f"≤ {t.reingest_share:.0%}, 0 embedded", _reingest_share),
        ("warm ask p50", f"≤ {t.ask_p50_ms:g} ms at 100k; ≤ {t.seed_ask_p50_ms:g} ms on the seed index", _ask_p50),
        (
            "warm ask p95",
            f"≤ {t.ask_p95_ms:g} ms at 100k",
            lambda s, t: _judged(s.serve.ask.p95_ms, t.ask_p95_ms, f"{_ms(s.serve.ask.p95_ms)} ms"),
        ),
        (
            '"which forces" question p95',
            f"≤ {t.force_ms:g} ms at 100k with 43 forces",
            lambda s, t: _judged(s.serve.force.p95_ms, t.force_ms, f"{_ms(s.serve.force.p95_ms)} ms"),
        ),
        ("cold start (worst run)", f"≤ {t.cold_start_s:g} s", _cold_worst),
        (
            "peak RSS answering",
            f"≤ {t.rss_mb / 1024:g} GB at 100k",
            lambda s, t: _judged(s.serve.rss_mb, t.rss_mb, _mib(s.serve.rss_mb)),
        ),
    ]


def _targets_table(run: BenchRun, t: Targets) -> list[str]:
    sizes = run.sizes
    lines = [
        "### Against the targets",
        "",
        "| measure | target | " + " | ".join(s.label for s in sizes) + " |",
        "|---|---|" + "---|" * len(sizes),
    ]
    for name, target, cell in _target_rows(t):
        lines.append(f"| {name} | {target} | " + " | ".join(cell(s, t) for s in sizes) + " |")
    if not any(s.requested and s.requested >= 100_000 for s in sizes):
        lines += [
            "",
            "The 100k targets are judged at each size measured; 100k was not part of this run (the growth "
            "column below gives the trend).",
        ]
    return lines


# ---- per size ----------------------------------------------------------------------------
def _corpus(s: SizeResult) -> str:
    return "seed (corpus/)" if s.requested is None else f"generated {s.fmt}, seed {s.corpus_seed}"


def _disk(s: SizeResult) -> str:
    mib = {k: v / 2**20 for k, v in s.disk.items()}
    return f"{sum(mib.values()):,.1f} MiB ({mib['manifest']:,.1f} + {mib['chroma']:,.1f} + {mib['keyword']:,.1f})"


def _first_ingest(s: SizeResult) -> str:
    built = "" if s.built_this_run else f" (built {s.build.built_at[:10]})"
    return f"{s.build.ingest_s:,.1f} s, {s.build.ingest_rate:.1f} chunks/s{built}"


def _raw(s: SizeResult) -> str:
    b = s.build
    if b.raw_rate is None:
        return "—"
    sampled = f", {b.raw_texts:,} sampled" if b.raw_texts < b.embedded else ""
    threads = f", {b.raw_threads} threads" if b.raw_threads else ", 1 thread"
    return f"{b.raw_rate:.1f} chunks/s ({b.raw_encode_s:,.1f} s{sampled}{threads}; model load {b.raw_load_s:.1f} s)"


def _warm_loads(s: SizeResult) -> str:
    reload = f"; {s.serve.snapshot_reload_s:.2f} s" if s.serve.snapshot_reload_s is not None else ""
    return f"{s.serve.model_load_s:.1f} s / {s.serve.snapshot_load_s:.2f} s{reload}"


def _baseline_first(s: SizeResult) -> str:
    return "—" if s.serve.baseline_first_s is None else f"{s.serve.baseline_first_s * 1000:,.0f} ms"


def _keyword(s: SizeResult) -> str:
    k = s.serve
    if not k.keyword_bm25s.n:
        return "—"
    return f"{_ms(k.keyword_bm25s.p50_ms)} vs {_ms(k.keyword_rank_bm25.p50_ms)} ms"


def _cold_runs(s: SizeResult) -> str:
    return s.cold.error or ", ".join(f"{x:.1f}" for x in s.cold.seconds) + " s"


# (figure, cell, what the growth column follows: None for no growth)
SIZE_ROWS: list[tuple[str, Cell, Figure | None]] = [
    ("corpus", _corpus, None),
    ("documents / chunks", lambda s: f"{s.build.documents:,} / {s.build.chunks:,}", None),
    ("forces in the index", lambda s: str(s.serve.forces_in_index), None),
    ("index on disk (manifest + Chroma + BM25)", _disk, lambda s: sum(s.disk.values())),
    ("first ingest", _first_ingest, lambda s: s.build.ingest_s),
    ("raw `SentenceTransformer.encode` of the same texts", _raw, None),
    ("peak RSS of the ingest", lambda s: _mib(s.build.ingest_rss_mb), lambda s: s.build.ingest_rss_mb),
    (
        "unchanged re-ingest",
        lambda s: f"{s.reingest.seconds:.2f} s, {s.reingest.embedded} embedded",
        lambda s: s.reingest.seconds,
    ),
    (
        "warm process: model load / index snapshot load (vectors from Chroma; again from the vector file)",
        _warm_loads,
        lambda s: s.serve.snapshot_load_s,
    ),
    ("warm ask p50 / p95 (n)", lambda s: f"{_pair(s.serve.ask)} ({s.serve.ask.n})", lambda s: s.serve.ask.p50_ms),
    (
        '"which forces" p50 / p95 (n)',
        lambda s: f"{_pair(s.serve.force)} ({s.serve.force.n})",
        lambda s: s.serve.force.p50_ms,
    ),
    ("CPU time per warm ask p50 / p95", lambda s: _pair(s.serve.ask_cpu), lambda s: s.serve.ask_cpu.p50_ms),
    ('CPU time per "which forces" p50 / p95', lambda s: _pair(s.serve.force_cpu), lambda s: s.serve.force_cpu.p50_ms),
    (
        "our hybrid retrieval alone (embed + score), k=4, p50 / p95",
        lambda s: _pair(s.serve.retrieve),
        lambda s: s.serve.retrieve.p50_ms,
    ),
    (
        "LangChain baseline `Chroma.similarity_search`, k=4, p50 / p95",
        lambda s: _pair(s.serve.baseline),
        lambda s: s.serve.baseline.p50_ms,
    ),
    ("baseline's first query (loads the HNSW index)", _baseline_first, None),
    (
        "keyword scoring of a question p50: bm25s vs rank-bm25's loop",
        _keyword,
        lambda s: s.serve.keyword_rank_bm25.p50_ms,
    ),
    ("cold start runs", _cold_runs, None),
    (
        "peak RSS answering (with the baseline's HNSW loaded)",
        lambda s: f"{_mib(s.serve.rss_mb)} ({_mib(s.serve.rss_with_baseline_mb)})",
        lambda s: s.serve.rss_mb,
    ),
    ("peak RSS of the cold-start process", lambda s: _mib(s.cold.rss_mb), lambda s: s.cold.rss_mb),
]


def _size_table(run: BenchRun) -> list[str]:
    sizes = run.sizes
    lines = [
        "### Per size",
        "",
        "| | " + " | ".join(s.label for s in sizes) + " | growth |",
        "|---|" + "---|" * len(sizes) + "---|",
    ]
    for name, cell, growth in SIZE_ROWS:
        trend = _growth(run, growth) if growth else ""
        lines.append(f"| {name} | " + " | ".join(cell(s) for s in sizes) + f" | {trend} |")
    failing = [(s.label, e) for s in sizes for e in s.serve.errors]
    if failing:
        lines += ["", f"{len(failing)} question(s) raised instead of answering (left out of the latencies):", ""]
        lines += [f"- {size}: {error}" for size, error in failing]
    return lines


# ---- parse rate, method, profile ---------------------------------------------------------
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


def _method_line(s: SizeResult) -> str:
    if s.requested is None:
        return (
            f"- seed: the documents of `{s.corpus_dir}`, indexed afresh into `{s.index_dir}`; "
            "questions from `evals/questions.yaml`."
        )
    how = (
        "ingested afresh in this run"
        if s.built_this_run
        else f"ingested once on {s.build.built_at[:10]} at commit {s.build.commit} and reused"
    )
    return (
        f"- {s.label}: `python -m evals.gencorpus {s.corpus_dir} --docs {s.build.documents} "
        f"--format {s.fmt} --seed {s.corpus_seed}`; {how} by `ingest.pipeline.ingest` (the bundled "
        f"all-MiniLM-L6-v2 on CPU, normalised; {s.build.embedded:,} texts "
        f"embedded in {s.build.ingest_s / 60:.1f} min); questions from the generator's `questions.yaml` "
        f"({s.serve.ask.n + s.serve.force.n} turns)."
    )


def _method_section(run: BenchRun) -> list[str]:
    return [
        "### How the benchmark corpora were built and measured",
        "",
        *(_method_line(s) for s in run.sizes),
        "- Each measurement that loads an index runs in a fresh process per size (`python -m bench.worker "
        "TASK`), so sizes share no memory or caches. Warm latencies are wall time around `Assistant.ask` after one "
        "warm-up question, with the retriever's query-vector cache cleared before each turn (the question sets "
        'repeat questions); "which forces" turns are those routed to per-force retrieval. The raw-encode rate is '
        "`SentenceTransformer.encode` (batch `ASSISTANT_EMBED_BATCH_SIZE`, 32) on exactly the texts ingest "
        "embedded, or an even sample of "
        f"{RAW_SAMPLE:,} of them, in the same process right after the ingest. Cold start is wall time from "
        "`python -m assistant ask ... --json` starting to its first output line (OS file cache warm). RSS is "
        "the process's VmHWM.",
    ]


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
            lines += [f"#### {title}", "", "```text", *_top_lines(flat, 14), "```", ""]
            lines += ["<details><summary>call tree</summary>", "", "```text", *_top_lines(tree, 70), "```", ""]
            lines += ["</details>", ""]
    return lines


PYINSTRUMENT_BANNER = re.compile(
    r"Recorded:|Samples:|Duration:|CPU time:|Program:|/_/|_/\s+v\d|Profile at|"
    r"To view this report|^\s*pyinstrument\b"
)


def _top_lines(text: str | None, n: int) -> list[str]:
    """The first `n` lines of a pyinstrument rendering, without its banner."""
    kept = [
        line.rstrip()
        for line in (text or "").splitlines()
        if line.strip() and not PYINSTRUMENT_BANNER.search(line) and not set(line.strip()) <= set("_./\\| ")
    ]
    return kept[:n]
