"""`python -m bench`: the same run and options as `assistant bench`, without the CLI's settings
options (the settings come from the environment, ASSISTANT_*)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from assistant.settings import Settings
from bench.plan import parse_sizes
from bench.report import render, write_section
from bench.run import DEFAULT_DATA_DIR, DEFAULT_OUT, run


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description="Measure ingest, latency, memory and disk from the seed corpus to 100k chunks; "
        "write docs/benchmarks.md.",
    )
    parser.add_argument(
        "--sizes",
        default="1000,10000",
        help="Generated corpus sizes in chunks, e.g. 1000,10000 or 1k,10k,100k (100k embeds ~100k chunks once: "
        "about an hour on 2 cores) [default: %(default)s]",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=None,
        help="Markdown file to write the results into [default: docs/benchmarks.md; none with --quick]",
    )
    parser.add_argument("--quick", action="store_true", help="Seed corpus only: a smoke run of a minute or two")
    parser.add_argument("--seed", type=int, default=7, help="Generator seed of the benchmark corpora [default: 7]")
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=DEFAULT_DATA_DIR,
        help="Where generated corpora and their indexes are kept and reused [default: bench-data]",
    )
    parser.add_argument("--rebuild", action="store_true", help="Re-ingest every size, even when its index is kept")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the bench; write its section into --out (or docs/benchmarks.md), or print it with --quick."""
    parser = _parser()
    options = parser.parse_args(argv)
    try:
        sizes = parse_sizes(options.sizes)
    except ValueError as exc:
        parser.error(f"--sizes: {exc}")

    def say(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    try:
        result = run(
            Settings(),
            sizes,
            quick=options.quick,
            seed=options.seed,
            data_dir=options.data_dir,
            rebuild=options.rebuild,
            say=say,
        )
    except RuntimeError as exc:  # a worker failed; its traceback is already on stderr
        say(f"error: {exc}")
        return 1
    section = render(result)
    target = options.out if options.out is not None else (None if options.quick else DEFAULT_OUT)
    if target is None:
        print(section)
    else:
        write_section(target, section)
        say(f"wrote the results to {target} (raw figures: {result.results_file})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
