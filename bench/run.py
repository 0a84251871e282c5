"""A bench run: the seed corpus and each size in turn (corpus, first ingest or a reused one,
re-ingest, serving, cold start, disk), then the PDF parse rate; the raw figures are written
to bench-data/run-<sizes>.json after each size, so that a failing size keeps the others."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from assistant.settings import PROJECT_DIR, Settings
from bench.plan import FRESH_UP_TO, Plan, ensure_corpus, parse_plan, plan_for, reusable_build
from bench.results import BenchRun, BuildResult, ParseResult, ReingestResult, ServeResult, SizeResult
from bench.system import machine, run_task
from bench.tasks import cold_start, disk_usage

DEFAULT_DATA_DIR = PROJECT_DIR / "bench-data"
DEFAULT_OUT = PROJECT_DIR / "docs" / "benchmarks.md"

Say = Callable[[str], None]


def run(
    settings: Settings,
    sizes: list[int],
    *,
    quick: bool = False,
    seed: int = 7,
    data_dir: Path = DEFAULT_DATA_DIR,
    rebuild: bool = False,
    say: Say = print,
) -> BenchRun:
    """Benchmark the seed corpus and each size (in chunks); `quick`: the seed corpus only.
    Raises RuntimeError when a worker fails (its traceback is on stderr)."""
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
        result.parse_corpus = relative(parse_dir)
    result.machine.load_end = os.getloadavg()
    result.seconds = round(time.perf_counter() - started, 1)
    Path(result.results_file).write_text(result.model_dump_json(indent=1))
    return result


def bench_size(plan: Plan, settings: Settings, *, rebuild: bool, profile: bool, say: Say) -> SizeResult:
    """Every measurement of one size, each that loads its index in a fresh process."""
    ensure_corpus(plan, say)
    args = {
        "settings": settings.model_dump_json(),
        "corpus_dir": str(plan.corpus_dir),
        "index_dir": str(plan.index_dir),
    }
    fresh = rebuild or plan.requested is None or plan.requested <= FRESH_UP_TO
    build = None if fresh else reusable_build(plan)
    built = build is None
    if build is None:
        build = first_ingest(plan, args, say)
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
        corpus_dir=relative(plan.corpus_dir),
        index_dir=relative(plan.index_dir),
        build=build,
        built_this_run=built,
        reingest=reingest,
        serve=serve,
        cold=cold,
        disk=disk_usage(plan.index_dir),
    )


def first_ingest(plan: Plan, args: dict, say: Say) -> BuildResult:
    """Build the plan's index from scratch (and raw-encode its texts, but for the seed corpus); kept in build.json."""
    say(f"[{plan.label}] ingesting {plan.corpus_dir} from scratch, then raw encode of the same texts")
    build = BuildResult(**run_task("build", {**args, "raw": plan.requested is not None}))
    plan.build_file.write_text(build.model_dump_json(indent=1))
    say(
        f"  {build.chunks} chunks in {build.ingest_s:.1f} s ({build.ingest_rate:.1f} chunks/s); raw encode "
        + (f"{build.raw_rate:.1f} chunks/s; ratio {build.ratio:.2f}" if build.ratio else "not measured")
    )
    return build


def pdf_parse(plans: list[Plan], seed: int, data_dir: Path, say: Say) -> tuple[ParseResult, Path]:
    """The parse rate on a generated PDF set: a PDF corpus of this run, or a small one of its own."""
    directory = next((p.corpus_dir for p in plans if p.fmt == "pdf"), None)
    if directory is None:
        own = parse_plan(seed, data_dir)
        ensure_corpus(own, say)
        directory = own.corpus_dir
    say(f"PDF parse rate on {directory}")
    return ParseResult(**run_task("parse", {"dir": str(directory)})), directory


def relative(path: Path) -> str:
    """`path` relative to the project when it is inside it, else as given."""
    try:
        return str(Path(path).resolve().relative_to(PROJECT_DIR))
    except ValueError:
        return str(path)
