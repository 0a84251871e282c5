"""Plain-text rendering, with the markdown-ish debris of PDF extraction in some documents."""

from __future__ import annotations

import re

from evals.gencorpus.documents import Rendered

_ORD_RE = re.compile(r"\b(\d{1,2})(st|nd|rd|th)\b")


def render_txt(doc: Rendered) -> str:
    """The document as text; when `doc.md`, headings in bold, superscript ordinals and <p> in table cells."""
    md = doc.md
    out: list[str] = []
    for b in doc.blocks:
        kind = b[0]
        if kind in ("letterhead", "lines"):
            out.append("\n".join(b[1]))
        elif kind == "blank":
            out.append("")
        elif kind == "heading":
            out.append(f"**{b[1]}**" if md else b[1])
        elif kind == "para":
            text = b[1] if (b[2] or not md) else _ORD_RE.sub(r"\1<sup>\2</sup>", b[1])
            out.append(text)
        elif kind == "num":
            out.append(f"{'- ' if md else ''}{b[1]} {b[2]}")
        elif kind == "table":
            rows = ["\t".join(b[1])]
            for rec, cell in b[2]:
                resp = " ".join(f"<p>{c}</p>" for c in cell) if md else " ".join(cell)
                rows.append(f"{rec}\t{resp}")
            out.append("\n".join(rows))
    return "\n\n".join(out) + "\n"
