"""The measurements. Every one that loads an index runs in its own process (`run_task`, which
starts `python -m bench.worker TASK ARGS_JSON`), so that one size's memory and caches never
leak into another's figures: `build` (first ingest, then raw encode of the same texts),
`reingest` (of the unchanged corpus), `serve` (bench/serve.py) and `parse` (the PDF loader).
`cold_start` times `assistant ask` in a fresh process and `disk_usage` sizes an index.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from assistant.core import Assistant
from assistant.settings import PROJECT_DIR
from bench.plan import PDF_PARSE_DOCS, Plan
from bench.results import RAW_SAMPLE, BuildResult, ColdStart, ParseResult, ReingestResult
from bench.serve import task_serve
from bench.system import child_env, git_commit, peak_rss_mb, worker_settings
from ingest.chunk import embedding_text
from ingest.load import load_file
from ingest.store import Index

COLD_RUNS = 2
COLD_QUESTION = {
    "seed": "Which forces audited breach recording?",
    "generated": "Which forces have audited how breaches of orders are recorded?",
}
# evals.gencorpus writes these beside the documents; ingest reports them as unsupported types
GENERATOR_SIDECARS = frozenset({"ground_truth.json", "questions.yaml", "compare.yaml"})


def task_build(args: dict) -> dict:
    """Ingest from scratch, then raw-encode the same chunk texts with the same model."""
    settings = worker_settings(args)
    assistant = Assistant(settings)
    cpu = time.process_time()
    report = assistant.ingest([Path(args["corpus_dir"])], rebuild=True)
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
        raw_encode(embedded_texts(assistant.index), settings.model_path, settings.embed_batch_size, result)
    result.load_during = round(os.getloadavg()[0], 1)
    return result.model_dump()


def raw_encode(texts: list[str], model_path: str, batch_size: int, result: BuildResult) -> None:
    """`SentenceTransformer.encode` of `texts` (an even sample of RAW_SAMPLE beyond), into `result`."""
    # torch and sentence-transformers take seconds to import: only this task loads them itself
    import torch
    from sentence_transformers import SentenceTransformer

    step = max(1, len(texts) // RAW_SAMPLE) if len(texts) > RAW_SAMPLE else 1
    sample = texts[::step][:RAW_SAMPLE]
    # The same threads as ingest's batches (ingest.embed.batch_threads): get_embedder leaves the
    # process on one thread for questions, and a raw encode on one thread is another experiment.
    torch.set_num_threads(os.cpu_count() or 1)
    result.raw_threads = torch.get_num_threads()
    started = time.perf_counter()
    model = SentenceTransformer(model_path, device="cpu", local_files_only=True)
    result.raw_load_s = round(time.perf_counter() - started, 3)
    model.encode(sample[:16], batch_size=16)  # the first call starts torch's thread pool
    started, cpu = time.perf_counter(), time.process_time()
    model.encode(sample, batch_size=batch_size, normalize_embeddings=True)
    result.raw_encode_s = round(time.perf_counter() - started, 3)
    result.raw_encode_cpu_s = round(time.process_time() - cpu, 2)
    result.raw_texts = len(sample)


def embedded_texts(index: Index) -> list[str]:
    """Exactly what ingest embedded: each distinct chunk text with its document context."""
    documents = {d.doc_id: d for d in index.documents()}
    seen: dict[str, str] = {}
    for chunk in index.chunks():
        if chunk.text_hash not in seen:
            seen[chunk.text_hash] = embedding_text(documents[chunk.doc_id], chunk.section, chunk.text)
    return list(seen.values())


def task_reingest(args: dict) -> dict:
    """Ingest of the corpus an index already holds: how long finding nothing to do takes."""
    report = Assistant(worker_settings(args)).ingest([Path(args["corpus_dir"])])
    return ReingestResult(seconds=report.seconds, embedded=report.embedded, unchanged=report.unchanged).model_dump()


def task_parse(args: dict) -> dict:
    """Pages per second through the ingest loader (bounded worker process) and through pypdf."""
    # pypdf is imported by the loader's worker process, not by ingest itself: only this task needs it here
    from pypdf import PdfReader

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


TASKS: dict[str, Callable[[dict], dict]] = {
    "build": task_build,
    "reingest": task_reingest,
    "serve": task_serve,
    "parse": task_parse,
}


def cold_start(plan: Plan) -> ColdStart:
    """Process start to the first answer line of `assistant ask --json`, on an existing index."""
    question = COLD_QUESTION["seed" if plan.requested is None else "generated"]
    env = child_env({"ASSISTANT_INDEX_DIR": str(plan.index_dir), "ASSISTANT_CORPUS_DIR": str(plan.corpus_dir)})
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
        assert proc.stdout is not None  # stdout=PIPE
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
