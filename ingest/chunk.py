"""Structure-aware chunking: paragraphs, numbered items and table rows stay whole where they
fit; each chunk and each of its sentences knows its span in the original text."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from ingest.clean import PAGE_BREAK, CleanText
from ingest.types import Chunk, Document, Sentence

_ABBREVIATIONS = re.compile(
    r"(?:\b(?:Dr|Mr|Mrs|Ms|St|No|Nos|Rt|Hon|Cllr|Supt|Insp|Sgt|etc|e\.g|i\.e|vs|cf|approx|Sc|B\.Sc)|(?<![\w&])[A-Z]|^\s*\d+(?:\.\d+)*)\.$"
)
_SENTENCE_END = re.compile(r"[.!?]['\"\u2019\u201d)\]]*(?=\s+['\"\u2018\u201c(\[]?[A-Z0-9])")
_MIN_SENTENCE = 12
# "Response: The Constabulary will ..." -> quote from "The": the label is layout, not claim
_LABEL = re.compile(
    r"^(?:(?:Force )?Response|Recommendation(?: \d+)?|Area for Improvement(?: \d+)?|Action|Update|"
    r"Progress|Outcome|Status|Comments?|Note):\s+(?=\S.{39})",
    re.I,
)

# A line that opens a new unit: numbered paragraph, recommendation/response row, heading.
_OPENER = re.compile(
    r"^(?:\d+(?:\.\d+)*\.?\s|(?:Recommendation|Response|Force Response|Area for Improvement|"
    r"Purpose|Background|Progress|Recommendations?)\b)",
    re.I,
)


def _is_heading(line: str) -> bool:
    words = line.split()
    if not words or len(line) > 90 or len(words) > 12:
        return False
    if re.match(r"^\d+(?:\.\d+)*\.?\s+[A-Z]", line) and not line.rstrip().endswith("."):
        return True  # "2. Progress Update:"
    return not re.search(r"[.;,]$", line.rstrip()) and (line.isupper() or line.istitle() or line.endswith(":"))


def split_sentences(text: str, base: int = 0) -> list[tuple[int, int]]:
    """Sentence spans of `text` (offsets + base); line breaks always end a sentence."""
    spans: list[tuple[int, int]] = []
    for line in re.finditer(r"[^\n\f]+", text):
        start = line.start()
        cuts = [
            m.end()
            for m in _SENTENCE_END.finditer(line.group(0))
            if not _ABBREVIATIONS.search(line.group(0)[: m.start() + 1])
        ]
        pieces, prev = [], 0
        for cut in [*cuts, len(line.group(0))]:
            pieces.append((prev, cut))
            prev = cut
        merged: list[list[int]] = []
        for a, b in pieces:
            chunk = line.group(0)[a:b].strip()
            if merged and len(line.group(0)[merged[-1][0] : merged[-1][1]].strip()) < _MIN_SENTENCE:
                merged[-1][1] = b  # "1.1." or "Response:" alone is no sentence; join it
            elif chunk:
                merged.append([a, b])
        for a, b in merged:
            seg = line.group(0)[a:b]
            lead = len(seg) - len(seg.lstrip())
            label = _LABEL.match(seg[lead:])
            lead += label.end() if label else 0
            trail = len(seg.rstrip())
            if trail > lead:
                spans.append((base + start + a + lead, base + start + a + trail))
    return spans


@dataclass
class _Unit:
    start: int  # cleaned offsets
    end: int
    section: str


def _units(text: str, max_chars: int) -> list[_Unit]:
    """Lines of the cleaned text, long ones cut at sentence ends, each with its heading."""
    units, section = [], ""
    for m in re.finditer(r"[^\n\f]+", text):
        line = m.group(0)
        if _is_heading(line):
            section = line.strip().rstrip(":")
        if len(line) <= max_chars:
            units.append(_Unit(m.start(), m.end(), section))
            continue
        piece_start = m.start()
        for _, s_end in split_sentences(line, m.start()):
            if s_end - piece_start > max_chars and s_end > piece_start:
                units.append(_Unit(piece_start, s_end, section))
                piece_start = s_end
        if piece_start < m.end():
            units.append(_Unit(piece_start, m.end(), section))
    return units


def _boundary_before(text: str, unit: _Unit, prev: _Unit) -> bool:
    """A structural break: a new page, a blank line, a heading or a numbered/labelled item."""
    gap = text[prev.end : unit.start]
    line = text[unit.start : unit.end]
    return PAGE_BREAK in gap or "\n\n" in gap or _is_heading(line) or bool(_OPENER.match(line))


def chunk_document(
    doc: Document, cleaned: CleanText, *, size: int = 700, overlap: int = 0, embed_prefix: bool = True
) -> list[Chunk]:
    """Chunks of about `size` cleaned characters that break at structure when they can.

    `overlap` repeats up to that many characters of trailing units in the next chunk.
    """
    text = cleaned.text
    groups: list[list[_Unit]] = []
    for unit in _units(text, size):
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

    chunks = []
    for ordinal, group in enumerate(groups):
        c_start, c_end = group[0].start, group[-1].end
        body = text[c_start:c_end].replace(PAGE_BREAK, "\n")
        o_start, o_end = cleaned.original_span(c_start, c_end)
        sentences = [
            Sentence(text=text[a:b], start=cleaned.original_span(a, b)[0], end=cleaned.original_span(a, b)[1])
            for a, b in split_sentences(text[c_start:c_end], c_start)
        ]
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


def embedding_text(doc: Document, section: str, body: str) -> str:
    """What the embedder sees: the chunk with its document context, so that a passage that
    never names its force or report still lands near questions that do."""
    meta = doc.meta
    head = " · ".join(x for x in (meta.force, meta.doc_type.value if meta.doc_type else None, section) if x)
    return f"{head}\n{body}" if head else body
