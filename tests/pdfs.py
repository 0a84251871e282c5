"""Small real files for loader tests: PDFs made with fpdf2 (and pypdf for encryption), plus the
awkward text files a corpus folder collects. Each function writes `path` and returns it.

fpdf2's core fonts are latin-1 only, so PDF text must be latin-1 characters.
"""

from __future__ import annotations

import io
from pathlib import Path

from fpdf import FPDF
from pypdf import PdfReader, PdfWriter

MB = 2**20


class _Report(FPDF):
    """A PDF with an optional running header line and a "Page N of M" footer."""

    def __init__(self, running_header: str | None, numbered: bool) -> None:
        super().__init__(format="A4")
        self.running_header = running_header
        self.numbered = numbered

    def header(self) -> None:
        if self.running_header:
            self.set_font("Helvetica", size=9)
            self.cell(0, 8, self.running_header, new_x="LMARGIN", new_y="NEXT", align="C")
            self.ln(4)

    def footer(self) -> None:
        if self.numbered:
            self.set_y(-15)
            self.set_font("Helvetica", size=9)
            self.cell(0, 10, f"Page {self.page_no()} of {{nb}}", align="C")


def text_pdf(
    path: Path,
    pages: list[str],
    header: str | None = None,
    footer_with_page_numbers: bool = False,
) -> Path:
    """A PDF with one page per string in `pages` (a long string flows onto more pages)."""
    pdf = _Report(header, footer_with_page_numbers)
    pdf.set_auto_page_break(auto=True, margin=20)
    for text in pages:
        pdf.add_page()
        pdf.set_font("Helvetica", size=11)
        pdf.multi_cell(0, 6, text)
    pdf.output(str(path))
    return Path(path)


def scanned_pdf(path: Path) -> Path:
    """A PDF page with a picture (an embedded image and drawn rectangles) and no text layer."""
    from PIL import Image, ImageDraw

    image = Image.new("L", (400, 300), color=255)
    draw = ImageDraw.Draw(image)
    for y in range(20, 280, 16):  # grey bars standing in for scanned lines of text
        draw.rectangle((20, y, 360, y + 7), fill=60)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")

    pdf = FPDF(format="A4")
    pdf.add_page()
    pdf.image(buffer, x=10, y=10, w=190)
    pdf.set_fill_color(200, 200, 200)
    pdf.rect(10, 160, 190, 40, style="F")
    pdf.output(str(path))
    return Path(path)


def encrypted_pdf(path: Path, user_password: str = "secret", text: str = "Confidential response.") -> Path:
    """A text PDF encrypted with pypdf (RC4-128, which needs no extra crypto package).

    `user_password=""` makes a PDF anyone can open (only the owner password restricts it)."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(_text_pdf_bytes([text]))))
    writer.encrypt(user_password=user_password, owner_password="owner-secret", algorithm="RC4-128")
    with open(path, "wb") as f:
        writer.write(f)
    return Path(path)


def corrupt_pdf(path: Path) -> Path:
    """A real PDF cut off after its first third and garbled: a header, but no body to speak of."""
    data = _text_pdf_bytes(["This document was damaged in transit."] * 3)
    cut = bytearray(data[: len(data) // 3])
    for i in range(200, len(cut), 7):  # garble object syntax beyond the header
        cut[i] = 0x7E
    Path(path).write_bytes(bytes(cut))
    return Path(path)


def binary_txt(path: Path) -> Path:
    """Binary bytes (with NULs) behind a .txt name."""
    Path(path).write_bytes(bytes(range(256)) * 8)
    return Path(path)


def cp1252_txt(path: Path, text: str) -> Path:
    """`text` encoded as Windows-1252 (curly quotes, en dash and £ are not valid UTF-8 there)."""
    Path(path).write_bytes(text.encode("cp1252"))
    return Path(path)


def empty_file(path: Path, content: bytes = b"") -> Path:
    """An empty file, or one holding only `content` (e.g. whitespace)."""
    Path(path).write_bytes(content)
    return Path(path)


def big_text_file(path: Path, size: int = 50 * MB) -> Path:
    """A text file of exactly `size` bytes, written quickly by repeating a line."""
    line = b"The force has reviewed how breaches of orders are recorded.\n"
    block = line * (MB // len(line) + 1)
    with open(path, "wb") as f:
        remaining = size
        while remaining:
            piece = block[: min(len(block), remaining)]
            f.write(piece)
            remaining -= len(piece)
    return Path(path)


def _text_pdf_bytes(pages: list[str]) -> bytes:
    pdf = FPDF(format="A4")
    for text in pages:
        pdf.add_page()
        pdf.set_font("Helvetica", size=11)
        pdf.multi_cell(0, 6, text)
    return bytes(pdf.output())
