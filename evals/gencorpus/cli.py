"""The command line: python -m evals.gencorpus OUT_DIR --docs N [--format pdf|txt] [--seed S] [--jobs J]"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Sequence
from pathlib import Path

from evals.gencorpus.corpus import generate

DESCRIPTION = "Deterministic generator of synthetic police / PCC responses to HMICFRS inspection reports."


def main(argv: Sequence[str] | None = None) -> int:
    """Generate a corpus and print a one-line JSON summary of it."""
    ap = argparse.ArgumentParser(prog="python -m evals.gencorpus", description=DESCRIPTION)
    ap.add_argument("out_dir", type=Path)
    ap.add_argument("--docs", type=int, required=True, help="number of documents (about 10 chunks each)")
    ap.add_argument("--format", choices=("pdf", "txt"), default="pdf")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--jobs", type=int, default=None, help="processes for rendering (default: automatic)")
    a = ap.parse_args(argv)
    t0 = time.perf_counter()
    gt = generate(a.out_dir, a.docs, seed=a.seed, fmt=a.format, jobs=a.jobs)
    secs = time.perf_counter() - t0
    counts: dict[str, int] = {}
    for cells in gt.status.values():
        for c in cells.values():
            counts[c["status"]] = counts.get(c["status"], 0) + 1
    summary = {
        "out_dir": str(a.out_dir),
        "documents": len(gt.documents),
        "format": a.format,
        "seed": a.seed,
        "forces": len({d["force"] for d in gt.documents}),
        "questions": len(gt.questions),
        "status_counts": counts,
        "seconds": round(secs, 2),
    }
    print(json.dumps(summary))
    return 0
