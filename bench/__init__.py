"""`assistant bench` (or `python -m bench`): how the assistant's cost grows, from the seed corpus
to 100k chunks.

One run measures, side by side and for each size: ingest throughput as a ratio to raw
`SentenceTransformer.encode` on the same chunk texts, re-ingest of an unchanged corpus, warm
`ask` latency (retrieve + extractive answer), per-force aggregation latency with 43 forces,
the naive LangChain retrieval (`Chroma.similarity_search`, k=4) over the same collection,
cold start, peak RSS and index size; plus the PDF parse rate and a pyinstrument profile of a
warm ask at the largest size. The results go into a dated section of docs/benchmarks.md
between `<!-- bench:start -->` and `<!-- bench:end -->`; the rest of the file is kept.

The modules, in the order a run uses them:
- plan.py: the sizes asked for, one `Plan` per size (where its corpus and index live), the
  generated corpora and the builds that can be reused;
- run.py: `run`, which measures each plan in turn and writes the raw figures (JSON);
- tasks.py, serve.py: the measurements, each that loads an index in a fresh process
  (`python -m bench.worker TASK ARGS_JSON`, see worker.py), so that one size's memory and
  caches never leak into another's figures;
- system.py: child processes, the machine, the commit, peak memory;
- results.py: the figures, as pydantic models, and the targets;
- report.py: `render` to Markdown, and `write_section` into docs/benchmarks.md.

Bench is a surface beside the CLI and the web app: it answers through `assistant.core.Assistant`
and reaches into `ingest` only where it measures ingest itself (the texts embedded, the loader).
"""

from bench.plan import parse_sizes
from bench.report import render, write_section
from bench.results import TARGETS, BenchRun, SizeResult, Targets
from bench.run import DEFAULT_DATA_DIR, DEFAULT_OUT, run

__all__ = [
    "DEFAULT_DATA_DIR",
    "DEFAULT_OUT",
    "TARGETS",
    "BenchRun",
    "SizeResult",
    "Targets",
    "parse_sizes",
    "render",
    "run",
    "write_section",
]
