"""PDF rendering with fpdf2's core fonts: A4, a running header naming the force, "Page N of M" footers.

fpdf takes about a second to import, so the generator imports this module only for PDF corpora.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from evals.gencorpus.documents import Block, Rendered
from evals.gencorpus.text import to_latin1

_NL = {"new_x": XPos.LMARGIN, "new_y": YPos.NEXT}


class _PDF(FPDF):
    def __init__(self, running_header: str):
        super().__init__(format="A4")
        self.running_header = running_header

    def header(self) -> None:
        self.set_font("Helvetica", "", 8)
        self.set_text_color(90, 90, 90)
        self.cell(0, 5, self.running_header, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_text_color(0, 0, 0)
        self.ln(3)

    def footer(self) -> None:
        self.set_y(-14)
        self.set_font("Helvetica", "", 8)
        self.cell(0, 5, f"Page {self.page_no()} of {{nb}}", align="C")


def _letterhead(pdf: FPDF, b: Block) -> None:
    pdf.set_font("Helvetica", "B", 11)
    pdf.multi_cell(0, 5, to_latin1(b[1][0]), **_NL)
    pdf.set_font("Helvetica", "", 9)
    for line in b[1][1:]:
        pdf.multi_cell(0, 4.5, to_latin1(line), **_NL)
    pdf.ln(2)


def _lines(pdf: FPDF, b: Block) -> None:
    pdf.set_font("Helvetica", "", 10)
    for line in b[1]:
        pdf.multi_cell(0, 5, to_latin1(line), **_NL)


def _blank(pdf: FPDF, b: Block) -> None:
    pdf.ln(4)


def _heading(pdf: FPDF, b: Block) -> None:
    pdf.ln(1)
    pdf.set_font("Helvetica", "B", 11)
    pdf.multi_cell(0, 5.5, to_latin1(b[1]), **_NL)
    pdf.ln(1)


def _para(pdf: FPDF, b: Block) -> None:
    pdf.set_font("Helvetica", "", 10)
    pdf.multi_cell(0, 5, to_latin1(b[1]), **_NL)
    pdf.ln(2)


def _num(pdf: FPDF, b: Block) -> None:
    pdf.set_font("Helvetica", "", 10)
    pdf.multi_cell(0, 5, to_latin1(f"{b[1]} {b[2]}"), **_NL)
    pdf.ln(2)


def _table(pdf: FPDF, b: Block) -> None:
    pdf.set_font("Helvetica", "", 9)
    with pdf.table(col_widths=(70, 100), line_height=4.5, text_align="LEFT") as table:
        row = table.row()
        for h in b[1]:
            row.cell(to_latin1(h))
        for rec, cell in b[2]:
            row = table.row()
            row.cell(to_latin1(rec))
            row.cell(to_latin1("\n".join(cell)))
    pdf.ln(3)


_DRAW: dict[str, Callable[[FPDF, Block], None]] = {
    "letterhead": _letterhead,
    "lines": _lines,
    "blank": _blank,
    "heading": _heading,
    "para": _para,
    "num": _num,
    "table": _table,
}


def render_pdf(doc: Rendered, doc_date: date) -> bytes:
    """The document as PDF bytes, dated `doc_date` (the same document always gives the same bytes)."""
    pdf = _PDF(to_latin1(doc.header))
    pdf.set_auto_page_break(True, margin=20)
    pdf.set_margins(20, 15, 20)
    pdf.set_creation_date(datetime(doc_date.year, doc_date.month, doc_date.day, 9, 0, tzinfo=UTC))
    pdf.set_title(to_latin1(doc.title))
    pdf.set_author(to_latin1(doc.author_name))
    pdf.set_creator("evals.gencorpus")
    pdf.add_page()
    for b in doc.blocks:
        _DRAW[b[0]](pdf, b)
    return bytes(pdf.output())
