"""The compare matrix as files an analyst can keep: CSV (one row per cell) and Markdown."""

from __future__ import annotations

import csv
import io

from assistant.compare.matrix import STATUS_LABEL
from assistant.types import CompareCell, Comparison


def cell_map(comparison: Comparison) -> dict[tuple[str, str], CompareCell]:
    return {(c.topic, c.force): c for c in comparison.cells}


def to_csv(comparison: Comparison) -> str:
    """One row per cell: topic, force, status, date, and the cited passages."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["topic", "force", "status", "date", "citations"])
    for c in comparison.cells:
        cited = " | ".join(f"[{x.n}] {x.source} p.{x.page} {x.start}-{x.end}: “{x.quote}”" for x in c.citations)
        writer.writerow([c.topic, c.force, c.status.value, c.date or "", cited])
    return buffer.getvalue()


def _md(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def to_markdown(comparison: Comparison) -> str:
    """A Markdown table (forces as rows, topics as columns, citation markers per cell) and
    the cited passages under it."""
    cells = cell_map(comparison)
    lines = [
        "| force | " + " | ".join(_md(t) for t in comparison.topics) + " |",
        "|---|" + "---|" * len(comparison.topics),
    ]
    notes = []
    for fi, force in enumerate(comparison.forces, 1):
        row = []
        for ti, topic in enumerate(comparison.topics, 1):
            cell = cells.get((topic, force))
            if cell is None:
                row.append("")
                continue
            label = STATUS_LABEL[cell.status]
            marks = "".join(f"[{ti}.{fi}.{c.n}]" for c in cell.citations)
            row.append(f"{label}{' (' + cell.date + ')' if cell.date else ''} {marks}".strip())
            for c in cell.citations:
                notes.append(
                    f"- [{ti}.{fi}.{c.n}] {_md(force)} · {_md(c.title or c.source)} · p.{c.page}: "
                    f"“{_md(c.quote)}” ({_md(c.source)}, characters {c.start}-{c.end})"
                )
        lines.append(f"| {_md(force)} | " + " | ".join(row) + " |")
    if notes:
        lines += ["", "Sources (marker = topic.force.citation):", "", *notes]
    return "\n".join(lines) + "\n"
