"""`python -m bench --quick` (what `assistant bench --quick` runs): the seed corpus measured end
to end in fresh processes, and the table it writes (dated, with the machine) replacing only its
own section of the file."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from assistant.settings import PROJECT_DIR
from bench import parse_sizes, write_section
from bench.report import END, START


def test_sizes_are_chunk_counts_with_an_optional_k_sorted_once():
    assert parse_sizes("10k, 1000,1k,") == [1000, 10000]
    for bad in ("", "0", "1m", "ten"):
        with pytest.raises(ValueError):
            parse_sizes(bad)


def test_a_section_replaces_only_its_own_part_of_the_file(tmp_path):
    out = tmp_path / "docs" / "benchmarks.md"
    write_section(out, f"{START}\nfirst\n{END}")
    assert out.read_text() == f"# Benchmarks\n\n{START}\nfirst\n{END}\n"
    out.write_text(f"# Benchmarks\n\nabove\n\n{START}\nfirst\n{END}\n\nbelow\n")
    write_section(out, f"{START}\nsecond\n{END}")
    assert out.read_text() == f"# Benchmarks\n\nabove\n\n{START}\nsecond\n{END}\n\nbelow\n"


@pytest.mark.slow
@pytest.mark.timeout(600)  # an ingest, a serving process and two cold starts, each loading the model
def test_a_quick_bench_writes_dated_figures_with_the_machine_between_its_markers(tmp_path):
    out = tmp_path / "benchmarks.md"
    out.write_text(
        "# Benchmarks\n\nnotes above\n\n<!-- bench:start -->\nold figures\n<!-- bench:end -->\n\n"
        "## Scaling notes\nkept\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_")}
    proc = subprocess.run(
        [sys.executable, "-m", "bench", "--quick", "--out", str(out), "--data-dir", str(tmp_path / "data")],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=580,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]

    text = out.read_text()
    assert "notes above" in text and "## Scaling notes\nkept" in text and "old figures" not in text
    assert re.search(r"run of \d{4}-\d{2}-\d{2}", text) and re.search(r"Machine: .*\d+ cores", text)
    row = next(line for line in text.splitlines() if line.startswith("| warm ask p50 |"))
    assert re.search(r"\| \d+(\.\d+)? ms \((met|\*\*not met\*\*)\) \|$", row), row
    cold = next(line for line in text.splitlines() if line.startswith("| cold start runs |"))
    assert re.search(r"\d+\.\d s", cold), cold
    assert (tmp_path / "data" / "run-seed.json").exists()
