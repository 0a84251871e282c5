"""Structure-aware chunking: paragraphs, numbered items and table rows stay whole where they
fit; each chunk and each of its sentences knows its span in the original text.

Text extracted from a PDF, or written with hard line breaks, wraps a sentence over several
lines, and sometimes over a page break. Lines are first joined into paragraphs (`blocks`):
a line continues the one before when that one did not end a sentence and either reaches
the document's usual line width, ends mid-phrase, or the next begins in lower case; a
heading, a numbered item, a label ("Author:") or a table row always starts afresh. Sentences
are then found inside paragraphs, so a quote is a whole sentence, not the part of it that
fitted on one line. A table row (a markdown `| ... |` line, or a line whose columns the
cleaner marked with tabs) is one unit and one sentence: its cells are read together.

No chunk and no sentence is longer than the chunk size: a paragraph with no sentence end is
cut at the last space before the limit, and a run with no space at the limit itself.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

import numpy as np

from ingest.clean import CELL, PAGE_BREAK, CleanText
from ingest.types import Chunk, Document, Sentence

_ABBREVIATIONS = re.compile(
    r"""(?:
        \b(?:Dr|Mr|Mrs|Ms|St|No|Nos|Rt|Hon|Cllr|Supt|Insp|Sgt|Det|Ch)   # titles
        | \b(?:etc|e\.g|i\.e|vs|cf|approx|Sc|B\.Sc)                     # Latin, degrees
        | (?<![\w&])[A-Z]           # an initial: "J. Smith"
        | ^\s*\d+(?:\.\d+)*         # a paragraph number: "4.3."
    )\.$""",
    re.VERBOSE,
)
# A sentence ends at . ! or ?, with any closing quote or bracket, before a capital or digit.
_SENTENCE_END = re.compile(r"[.!?]['\"\u2019\u201d)\]]*(?=\s+['\"\u2018\u201c(\[]?[A-Z0-9])")
_ENDS_SENTENCE = re.compile(r"[.!?]['\"\u2019\u201d)\]]*\s*$")
_MIN_SENTENCE = 12
# "Response: The Constabulary will ..." -> quote from "The": the label is layout, not claim
_LABEL = re.compile(
    r"^(?:(?:Force )?Response|Recommendation(?: \d+)?|Area for Improvement(?: \d+)?|Action|Update|"
    r"Progress|Outcome|Status|Comments?|Note):\s+(?=\S.{39})",
    re.I,
)
# A line that opens a new unit: numbered paragraph ("4.", "4.1", not a year or a day of the
# month that wrapped to the start of a line), lettered item, recommendation/response row, heading.
_OPENER = re.compile(
    r"""^(?:
        \d{1,2}(?:\.\d{1,2})*(?:\.\s|\t) | \d{1,2}(?:\.\d{1,2})+\s   # "4. ", "4.1 ", "4.1<TAB>"
        | [a-z]\)\s                                                # "a) "
        | (?:Recommendation|Response|Force\ Response|Area\ for\ Improvement
           |Purpose|Background|Progress|Recommendations?)\b
    )""",
    re.I | re.VERBOSE,
)
# "Author: ...", "Date of meeting<TAB>17 September 2019": a field of a header block.
_FIELD = re.compile(r"^[A-Z][\w'&/ -]{0,40}?(?::|\t)")
# A line that stops mid-phrase: it ends with a comma, a conjunction, an article, a preposition.
_OPEN_END = re.compile(r"(?:[,(–—-]|\b(?:and|or|of|the|a|an|to|in|on|for|by|with|that|which|from|as|at))\s*$")
_WRAP_SHARE = 0.75  # a line this close to the document's usual width was wrapped by the writer


def _is_heading(line: str) -> bool:
    words = line.split()
    if not words or len(line) > 90 or len(words) > 12:
        return False
    if re.match(r"^\d+(?:\.\d+)*\.?\s+[A-Z]", line) and not line.rstrip().endswith("."):
        # "2. Progress Update:"; not the first line of a numbered paragraph that wraps
        return len(words) <= 8 and not _OPEN_END.search(line)
    return not re.search(r"[.;,]$", line.rstrip()) and (line.isupper() or line.istitle() or line.endswith(":"))


def is_row(line: str) -> bool:
    """A table row: a markdown row, or a line with two or more column gaps."""
    stripped = line.strip()
    return (stripped.startswith("|") and stripped.count("|") >= 3) or line.count(CELL) >= 2


def line_width(text: str) -> int:
    """The width at which this document's writer wrapped lines: the 90th percentile of the
    lengths of its prose lines (0 when it has too few lines to tell)."""
    lengths = [len(m.group(0)) for m in re.finditer(r"[^\n\f]{20,}", text)]
    return int(np.percentile(lengths, 90)) if len(lengths) >= 5 else 0


def _continues(prev: str, line: str, width: int) -> bool:
    """Whether `line` goes on with the sentence that `prev` left open."""
    if is_row(prev) or is_row(line) or _ENDS_SENTENCE.search(prev):
        return False
    if _is_heading(prev) or _OPENER.match(line) or _FIELD.match(line) or _is_heading(line):
        return line[:1].islower() and not _is_heading(prev)
    if line[:1].islower() or _OPEN_END.search(prev):
        return True
    return bool(width) and len(prev) >= _WRAP_SHARE * width


def blocks(text: str, width: int | None = None) -> list[tuple[int, int]]:
    """Spans of the paragraphs of `text`: runs of lines that continue each other, across a
    page break too when the sentence goes on."""
    width = line_width(text) if width is None else width
    spans: list[list[int]] = []
    prev = ""
    for m in re.finditer(r"[^\n\f]+", text):
        line = m.group(0)
        if not line.strip():
            continue
        gap = text[spans[-1][1] : m.start()] if spans else ""
        if spans and "\n\n" not in gap.replace(PAGE_BREAK, "") and _continues(prev, line, width):
            spans[-1][1] = m.end()
        else:
            spans.append([m.start(), m.end()])
        prev = line
    return [(a, b) for a, b in spans]


def _bounded(text: str, a: int, b: int, limit: int) -> list[tuple[int, int]]:
    """[a, b) cut into pieces of at most `limit` characters, at the last whitespace before
    the limit when there is one."""
    pieces = []
    while b - a > limit:
        cut = max(text.rfind(gap, a + 1, a + limit) for gap in (" ", "\n", CELL))
        cut = cut if cut > a else a + limit
        pieces.append((a, cut))
        a = cut
        while a < b and text[a].isspace():
            a += 1
    if b > a:
        pieces.append((a, b))
    return pieces


def _strip(text: str, a: int, b: int) -> tuple[int, int]:
    seg = text[a:b]
    lead = len(seg) - len(seg.lstrip())
    if label := _LABEL.match(seg[lead:]):
        lead += label.end()
    return a + lead, a + len(seg.rstrip())


def _block_sentences(text: str, a: int, b: int, limit: int) -> list[tuple[int, int]]:
    block = text[a:b]
    if is_row(block):
        cuts: list[int] = []
    else:
        cuts = [m.end() for m in _SENTENCE_END.finditer(block) if not _ABBREVIATIONS.search(block[: m.start() + 1])]
    merged: list[list[int]] = []
    prev = 0
    for cut in [*cuts, len(block)]:
        if merged and len(block[merged[-1][0] : merged[-1][1]].strip()) < _MIN_SENTENCE:
            merged[-1][1] = cut  # "1.1." or "Response:" alone is no sentence; join it
        elif block[prev:cut].strip():
            merged.append([prev, cut])
        prev = cut
    spans = []
    for s, e in merged:
        start, end = _strip(text, a + s, a + e)
        if end > start:
            spans += _bounded(text, start, end, limit)
    return spans


def split_sentences(text: str, base: int = 0, *, width: int | None = None, limit: int = 700) -> list[tuple[int, int]]:
    """Sentence spans of `text` (offsets + base): sentences run across wrapped lines and
    page breaks inside a paragraph (see `blocks`), and none is longer than `limit`."""
    width = line_width(text) if width is None else width
    spans: list[tuple[int, int]] = []
    for a, b in blocks(text, width):
        spans += [(base + s, base + e) for s, e in _block_sentences(text, a, b, limit)]
    return spans


@dataclass
class _Unit:
    start: int  # cleaned offsets
    end: int
    section: str


def _units(text: str, max_chars: int, width: int) -> list[_Unit]:
    """Paragraphs of the cleaned text, long ones cut at sentence ends, each with its heading."""
    units, section = [], ""
    for a, b in blocks(text, width):
        first_line = text[a:b].split("\n", 1)[0]
        if _is_heading(first_line) and "\n" not in text[a:b].strip():
            section = first_line.strip().rstrip(":")
        if b - a <= max_chars:
            units.append(_Unit(a, b, section))
            continue
        piece_start = a
        for _, s_end in _block_sentences(text, a, b, max_chars):
            if s_end - piece_start > max_chars and s_end > piece_start:
                units += [_Unit(s, e, section) for s, e in _bounded(text, piece_start, s_end, max_chars)]
                piece_start = s_end
        if piece_start < b:
            units += [_Unit(s, e, section) for s, e in _bounded(text, piece_start, b, max_chars)]
    return units


def _boundary_before(text: str, unit: _Unit, prev: _Unit) -> bool:
    """A structural break: a blank line, a heading or a numbered/labelled item."""
    gap = text[prev.end : unit.start]
    line = text[unit.start : unit.end]
    return "\n\n" in gap or _is_heading(line) or bool(_OPENER.match(line))


def _groups(text: str, units: list[_Unit], size: int, overlap: int) -> list[list[_Unit]]:
    groups: list[list[_Unit]] = []
    for unit in units:
        current = groups[-1] if groups else None
        if current is None:
            groups.append([unit])
            continue
        length = unit.end - current[0].start
        crosses_page = PAGE_BREAK in text[current[-1].end : unit.start]
        structural = _boundary_before(text, unit, current[-1])
        if length > size or crosses_page or (structural and current[-1].end - current[0].start >= size // 3):
            carry = [u for u in current if u.end - u.start <= overlap][-1:] if overlap and not crosses_page else []
            groups.append([*carry, unit])
        else:
            current.append(unit)
    return groups


def chunk_document(
    doc: Document, cleaned: CleanText, *, size: int = 700, overlap: int = 0, embed_prefix: bool = True
) -> list[Chunk]:
    """Chunks of at most `size` cleaned characters that break at structure when they can.

    `overlap` repeats up to that many characters of trailing units in the next chunk.
    """
    text = cleaned.text
    width = line_width(text)
    chunks = []
    for ordinal, group in enumerate(_groups(text, _units(text, size, width), size, overlap)):
        c_start, c_end = group[0].start, group[-1].end
        body = text[c_start:c_end].replace(PAGE_BREAK, "\n")
        o_start, o_end = cleaned.original_span(c_start, c_end)
        sentences = []
        for a, b in split_sentences(text[c_start:c_end], c_start, width=width, limit=size):
            start, end = cleaned.original_span(a, b)
            # one line of text for scoring; a tab between table cells stays, for the clauses
            sentences.append(Sentence(text=one_line(text[a:b]), start=start, end=end))
        section = next((u.section for u in group if u.section), "")
        chunks.append(
            Chunk(
                chunk_id=f"{doc.doc_id}:{doc.content_hash[:10]}:{ordinal}",
                doc_id=doc.doc_id,
                ordinal=ordinal,
                page=doc.page_at(o_start),
                start=o_start,
                end=o_end,
                section=section,
                text=body,
                text_hash=hashlib.sha1(embedding_text(doc, section, body).encode()).hexdigest(),
                sentences=sentences,
            )
        )
    return chunks


def one_line(text: str) -> str:
    """Text as one line, as the model reads it: line and page breaks are spaces, runs of
    spaces one; a tab (a gap between table cells) stays, and the tokenizer reads it as a space."""
    return re.sub(r"[ \n\f\r]*\t[ \n\f\r]*", CELL, re.sub(r"[ \n\f\r]+", " ", text)).strip()


def embedding_text(doc: Document, section: str, body: str) -> str:
    """What the embedder sees: the chunk with its document context, so that a passage that
    never names its force or report still lands near questions that do."""
    meta = doc.meta
    head = " · ".join(x for x in (meta.force, meta.doc_type.value if meta.doc_type else None, section) if x)
    return f"{head}\n{body}" if head else body
