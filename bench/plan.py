"""Which corpora a run measures and where they live: sizes from the command line, one `Plan`
per size, the generated corpus of a plan, and a build of its index that can be reused.

The generated corpora and their indexes live under bench-data/<size>-seed<seed>-<format>/
(git-ignored) and are reused: embedding 100k chunks takes about an hour on 2 cores, so a
large index is built once per machine. Indexes up to FRESH_UP_TO chunks are rebuilt every
run, so that the ingest/encode ratio is always measured in the run that reports it.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from pydantic import BaseModel

from assistant.settings import PROJECT_DIR, Settings
from bench.results import BuildResult
from bench.system import child_env

# Chunks per generated document, measured (2026-11-23) with the structure-aware chunker: paragraphs,
# table rows and page furniture make ~17 (PDF) and ~19 (text) chunks of a ~7,000-character document.
CHUNKS_PER_DOC = {"pdf": 17, "txt": 19}
FRESH_UP_TO = 2_000  # chunks: indexes this small are rebuilt each run (ingest ratio measured in the run)
PDF_UP_TO = 2_000  # chunks: corpora this small are PDFs; larger ones text, which generates 10x faster
PDF_PARSE_DOCS = 40  # PDFs whose parse rate is measured
SEED_QUESTIONS = PROJECT_DIR / "evals" / "questions.yaml"


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


def size_label(size: int | None) -> str:
    """The label of a size in chunks: None (the seed corpus) -> "seed", 10000 -> "10k", 1500 -> "1500"."""
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
    """The plan of one size in chunks; None: the seed corpus (settings.corpus_dir)."""
    if size is None:
        return Plan(
            label="seed",
            requested=None,
            n_docs=0,
            fmt="seed",
            seed=seed,
            dir=data_dir / "seed",
            corpus_dir=Path(settings.corpus_dir),
            questions=SEED_QUESTIONS,
        )
    fmt = "pdf" if size <= PDF_UP_TO else "txt"
    directory = data_dir / f"{size}-seed{seed}-{fmt}"
    return Plan(
        label=size_label(size),
        requested=size,
        n_docs=max(1, round(size / CHUNKS_PER_DOC[fmt])),
        fmt=fmt,
        seed=seed,
        dir=directory,
        corpus_dir=directory / "corpus",
        questions=directory / "corpus" / "questions.yaml",
    )


def parse_plan(seed: int, data_dir: Path) -> Plan:
    """A small PDF corpus of its own, for the parse rate when a run generates no PDFs."""
    base = data_dir / f"pdf{PDF_PARSE_DOCS}-seed{seed}"
    return Plan(
        label="pdf",
        requested=PDF_PARSE_DOCS * CHUNKS_PER_DOC["pdf"],
        n_docs=PDF_PARSE_DOCS,
        fmt="pdf",
        seed=seed,
        dir=base,
        corpus_dir=base / "corpus",
        questions=Path(),
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
        env=child_env(),
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
