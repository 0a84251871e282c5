"""Clean extracted text for retrieval while keeping a map back to the original.

Every cleaning step only deletes characters or replaces one character by a space, so each
character of the cleaned text comes from exactly one character of the original. `offsets`
records which, and a cleaned span maps back to an original span for citations.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

import numpy as np

PAGE_BREAK = "\f"  # pages are joined with a form feed; the cleaner keeps it as a hard boundary

# (pattern, replacement): "" deletes the match, " " keeps one space in its place.
_MARKUP = [
    (re.compile(r"\*\*|__"), ""),  # markdown bold left by the PDF-to-text step
    (re.compile(r"</?(?:sup|sub|b|i|u|em|strong|span|font|small)\b[^>\n]{0,80}>", re.I), ""),
    (re.compile(r"</?(?:p|br|div|li|ul|ol|tr|td|th|table|h\d)\b[^>\n]{0,80}/?>", re.I), " "),
    (re.compile(r"^[ \t]*#{1,6}[ \t]+", re.M), ""),  # markdown headings
    (re.compile(r"^[ \t]*[-*\u2022\u25cf\u25aa][ \t]+", re.M), ""),  # bullets
    (re.compile(r"^[ \t]*-[ \t]*$", re.M), ""),  # a lone bullet
    # pypdf keeps a word hyphenated across a line end ("offen-\nces"); join it so words match
    (re.compile(r"(?<=[a-z])-[ \t]*\n[ \t]*(?=[a-z])"), ""),
]

_PAGE_NUMBER = re.compile(r"^\s*(?:page\s+)?\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?\s*$", re.I)

# Frequent Welsh words that are not also common English words: a paragraph made mostly of
# them is the Welsh half of a bilingual letterhead or notice, a duplicate for retrieval.
_WELSH = frozenset(
    """yn yr y ac ei eich ein ar gyda hyn ni fydd bydd byddwn ddaw law pan neu os hoffech wedi
    cael eu gan mae ydych rydym gymraeg cymraeg yng ymlaen heddlu throseddu comisiynydd
    swyddfa gwasanaethau darperir cyfieithu anfonwch ateb gohebiaeth croesawu gohirio
    hymateb dderbyn ddefnyddio gwahodd gyfweliad gyfarfod hyd dros rhaid gwneud bod fel
    hefyd oes sydd dyma dim ond hwn hon pob gael ymateb diolch cymru gogledd de""".split()
)


@dataclass(frozen=True)
class CleanText:
    """Cleaned text and, for each of its characters, the index of its source character."""

    text: str
    offsets: np.ndarray

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """The original span covering cleaned characters [start, end)."""
        if end <= start:
            at = int(self.offsets[start]) if start < len(self.offsets) else 0
            return at, at
        return int(self.offsets[start]), int(self.offsets[end - 1]) + 1


def _edit(text: str, offsets: np.ndarray, edits: list[tuple[int, int, str]]) -> tuple[str, np.ndarray]:
    """Apply non-overlapping (start, end, "" | one char) edits; carry offsets along."""
    if not edits:
        return text, offsets
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).copy()
    keep = np.ones(len(codes), dtype=bool)
    for start, end, repl in edits:
        if repl:
            codes[start] = ord(repl)
            keep[start + 1 : end] = False
        else:
            keep[start:end] = False
    return codes[keep].tobytes().decode("utf-32-le"), offsets[keep]


def _regex_edits(text: str, rules) -> list[tuple[int, int, str]]:
    edits: list[tuple[int, int, str]] = []
    taken = np.zeros(len(text) + 1, dtype=bool)
    for pattern, repl in rules:
        for m in pattern.finditer(text):
            if m.end() > m.start() and not taken[m.start() : m.end()].any():
                taken[m.start() : m.end()] = True
                edits.append((m.start(), m.end(), repl))
    return sorted(edits)


def _line_spans(text: str):
    for m in re.finditer(r"[^\n\f]+", text):
        yield m.start(), m.end(), m.group(0)


def _furniture_edits(text: str) -> list[tuple[int, int, str]]:
    """Running headers/footers (a line repeated near the top or bottom of most pages) and
    bare page numbers."""
    pages = text.split(PAGE_BREAK)
    edits = []
    repeated: set[str] = set()
    if len(pages) >= 2:
        seen: Counter[str] = Counter()
        for page in pages:
            lines = [ln.strip() for ln in page.split("\n") if ln.strip()]
            edge = {re.sub(r"\d+", "#", ln) for ln in lines[:3] + lines[-3:]}
            seen.update(edge)
        repeated = {ln for ln, n in seen.items() if n >= max(2, (len(pages) + 1) // 2)}
    for start, end, line in _line_spans(text):
        stripped = line.strip()
        if not stripped:
            continue
        if re.sub(r"\d+", "#", stripped) in repeated or (len(pages) >= 2 and _PAGE_NUMBER.match(line)):
            edits.append((start, end + 1 if text[end : end + 1] == "\n" else end, ""))
    return edits


def _welsh_edits(text: str) -> list[tuple[int, int, str]]:
    edits = []
    for m in re.finditer(r"[^\n]+", text):
        words = re.findall(r"[a-zA-Zŵŷâêîôû']+", m.group(0).lower())
        if len(words) >= 8 and sum(w in _WELSH for w in words) / len(words) >= 0.3:
            edits.append((m.start(), m.end(), ""))
    return edits


def _collapse(start: int, end: int, keep: str) -> list[tuple[int, int, str]]:
    """Edits that turn the run [start, end) into `keep` (at most end - start characters)."""
    edits = [(start + i, start + i + 1, ch) for i, ch in enumerate(keep)]
    if start + len(keep) < end:
        edits.append((start + len(keep), end, ""))
    return edits


CELL = "\t"  # what a gap between the columns of a table row becomes


def _is_cell_gap(text: str, start: int, end: int) -> bool:
    """A gap inside a line that separates the columns of a table ("Sample   Met   Rate", a
    tab-separated export): a tab, three spaces or more, or two spaces that do not follow the
    end of a sentence or clause ("recorded.  Next" is prose)."""
    run = text[start:end]
    if start == 0 or text[start - 1] == "\n" or end == len(text) or text[end] == "\n":
        return False  # indentation and trailing space: dropped below
    if "\t" in run or run.count(" ") >= 3:
        return True
    return run == "  " and text[start - 1] not in ".!?:;,"


def _whitespace_edits(text: str) -> list[tuple[int, int, str]]:
    """Runs of spaces become one space (a column gap one tab); blank runs one blank line; a
    page break stays one."""
    edits = []
    for m in re.finditer(r"[ \t\r\xa0\u200b\n\f]+", text):
        run = m.group(0)
        if PAGE_BREAK in run:
            keep = PAGE_BREAK
        elif run.count("\n") >= 2:
            keep = "\n\n"
        elif "\n" in run:
            keep = "\n"
        else:
            keep = CELL if _is_cell_gap(text, m.start(), m.end()) else " "
        if run != keep:
            edits += _collapse(m.start(), m.end(), keep)
    return edits


def clean(text: str) -> CleanText:
    """Clean `text` (pages joined by form feeds) for chunking, embedding and keyword search."""
    offsets = np.arange(len(text), dtype=np.int64)
    text, offsets = _edit(text, offsets, _furniture_edits(text))
    text, offsets = _edit(text, offsets, _regex_edits(text, _MARKUP))
    text, offsets = _edit(text, offsets, _welsh_edits(text))
    text, offsets = _edit(text, offsets, _whitespace_edits(text))
    # drop spaces that now begin or end a line
    edge = [(m.start(), m.end(), "") for m in re.finditer(r"(?<=\n) +| +(?=\n)|^ +| +$", text)]
    text, offsets = _edit(text, offsets, edge)
    return CleanText(text, offsets)
