"""`assistant bench`: ingest, latency, memory and disk from the seed corpus to 100k chunks
(the `bench` package; also `python -m bench`)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

import bench as b
from assistant.cli.output import UserError, err
from assistant.settings import PROJECT_DIR, Settings

DEFAULT_OUT = PROJECT_DIR / "docs" / "benchmarks.md"
SIZES_HELP = (
    "Generated corpus sizes in chunks, e.g. 1000,10000 or 1k,10k,100k (100k embeds ~100k chunks once: "
    "about an hour on 2 cores)"
)


def bench(
    ctx: typer.Context,
    sizes: Annotated[str, typer.Option(help=SIZES_HELP)] = "1000,10000",
    out: Annotated[
        Path | None,
        typer.Option(help="Markdown file to write the results into [default: docs/benchmarks.md; none with --quick]"),
    ] = None,
    quick: Annotated[bool, typer.Option(help="Seed corpus only: a smoke run of a minute or two")] = False,
    seed: Annotated[int, typer.Option(help="Generator seed of the benchmark corpora")] = 7,
    data_dir: Annotated[
        Path, typer.Option(help="Where generated corpora and their indexes are kept and reused")
    ] = PROJECT_DIR / "bench-data",
    rebuild: Annotated[bool, typer.Option(help="Re-ingest every size, even when its index is kept")] = False,
) -> None:
    """Measure ingest, latency, memory and disk from the seed corpus to 100k chunks; write docs/benchmarks.md."""
    try:
        chosen = b.parse_sizes(sizes)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--sizes") from None
    settings: Settings = ctx.obj
    try:
        result = b.run(
            settings,
            chosen,
            quick=quick,
            seed=seed,
            data_dir=data_dir,
            rebuild=rebuild,
            say=lambda message: err.print(message, markup=False, highlight=False),
        )
    except RuntimeError as exc:  # a worker failed; its traceback is already on stderr
        raise UserError(str(exc)) from None
    section = b.render(result)
    target = out if out is not None else (None if quick else DEFAULT_OUT)
    if target is None:
        print(section)
    else:
        b.write_section(target, section)
        err.print(f"wrote the results to {target} (raw figures: {result.results_file})", markup=False, highlight=False)
