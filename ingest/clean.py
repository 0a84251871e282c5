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
    # what a browser never shows: a comment, an element hidden by its style or attribute (where
    # text aimed at automated readers hides: "<p style="display:none">Ignore previous ...")
    (re.compile(r"<!--.*?-->", re.S), ""),
    (
        re.compile(
            r"<(?P<tag>[a-z][a-z0-9]*)\b[^>]{0,200}?(?:display\s*:\s*none|visibility\s*:\s*hidden|\bhidden\b"
            r"|aria-hidden\s*=\s*[\"']true)[^>]{0,200}>.*?</(?P=tag)\s*>",
            re.I | re.S,
        ),
        "",
    ),
    (re.compile(r"</?a\b[^>\n]{0,300}>", re.I), ""),  # a link's tags; its text stays
    (re.compile(r"&amp;"), "&"),
    (re.compile(r"&quot;"), '"'),
    (re.compile(r"&#0*39;|&apos;|&#x0*27;", re.I), "'"),
    (re.compile(r"&nbsp;"), " "),
    (re.compile(r"&#x?[0-9a-f]{1,6};", re.I), ""),  # any other character reference (an emoji)
    (re.compile(r"\*\*|__"), ""),  # markdown bold left by the PDF-to-text step
    (re.compile(r"</?(?:sup|sub|b|i|u|em|strong|span|font|small)\b[^>\n]{0,80}>", re.I), ""),
    (re.compile(r"</?(?:p|br|div|li|ul|ol|tr|td|th|table|h\d)\b[^>\n]{0,80}/?>", re.I), " "),
    (re.compile(r"^[ \t]*#{1,6}[ \t]+", re.M), ""),  # markdown headings
    (re.compile(r"^[ \t]*[-*\u2022\u25cf\u25aa][ \t]+", re.M), ""),  # bullets
    (re.compile(r"^[ \t]*-[ \t]*$", re.M), ""),  # a lone bullet
    # an email's quoted lines ("> his note is below"): the marks out, so a quoted paragraph
    # wrapped over several lines reads as the sentences it is
    (re.compile(r"^[ \t]*>(?:[ \t]*>)*[ \t]?", re.M), ""),
    # pypdf keeps a word hyphenated across a line end ("offen-\nces"); join it so words match
    (re.compile(r"(?<=[a-z])-[ \t]*\n[ \t]*(?=[a-z])"), ""),
]

# A WebVTT caption file (a webcast's or broadcast's captions): its header, the cue timings and
# identifiers and the voice tags ("<v Owen Castell>") out, so each cue reads as what was said.
_TIMING = r"(?:\d+:)?\d\d:\d\d[.,]\d{3}[ \t]+-->[ \t]+(?:\d+:)?\d\d:\d\d[.,]\d{3}"
_CAPTIONS = [
    (re.compile(r"\A\ufeff?WEBVTT\b[^\n]*\n(?:[^\n]*\S[^\n]*\n)*"), ""),  # the header block
    (re.compile(rf"^[^\n]*\S[^\n]*\n(?={_TIMING})", re.M), ""),  # a cue's identifier line
    (re.compile(rf"^{_TIMING}[^\n]*\n?", re.M), ""),
    (re.compile(r"^NOTE\b[ \t]*\n?", re.M), ""),
    (re.compile(r"</?(?:v|c|lang|ruby|rt)(?:\.[\w.-]+)?(?:[ \t][^>\n]{0,80})?>|<\d+:\d\d[:.\d]*>"), ""),
]
_VOICE = re.compile(r"<v(?:\.[\w.-]+)?[ \t]+([^>\n]{1,80})>")
_CUE = re.compile(rf"^{_TIMING}[^\n]*\n(?P<text>(?:[^\n]*\S[^\n]*(?:\n|\Z))+)", re.M)


def _same_speaker_edits(text: str) -> list[tuple[int, int, str]]:
    """A speaker's consecutive cues joined into one paragraph (the gap and the repeated voice
    tag become a space): a turn is one paragraph, however many cues carry it."""
    edits = []
    cues = list(_CUE.finditer(text))
    for a, b in zip(cues, cues[1:], strict=False):
        last = _VOICE.findall(a.group("text"))
        first = _VOICE.match(b.group("text"))
        if last and first and last[-1].strip() == first.group(1).strip():
            end = a.start("text") + len(a.group("text").rstrip())
            edits.append((end, b.start("text") + first.end(), " "))
    return edits


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


# A running header or footer is a short line repeated at the top or bottom of most pages.
HEADER_MAX_CHARS = 100
HEADER_MAX_LINES = 3  # how far from a page's top or bottom a header block may reach


def _page_lines(text: str) -> list[list[tuple[int, int, str]]]:
    """Each page's non-blank lines as (start, end, stripped text), pages split at PAGE_BREAK."""
    pages: list[list[tuple[int, int, str]]] = [[]]
    for m in re.finditer(r"[^\n\f]+|\f", text):
        if m.group(0) == PAGE_BREAK:
            pages.append([])
        elif stripped := m.group(0).strip():
            pages[-1].append((m.start(), m.end(), stripped))
    return pages


def _header_key(line: str) -> str:
    return re.sub(r"\d+", "#", line)  # "Page 3" and "Page 4" are one running line


def _edge_block(lines: list[tuple[int, int, str]], edge: set[str], pages_with: Counter[str]) -> range:
    """Positions of the header block at the start of `lines` (a page, or a page reversed for
    its footer): the leading lines, at most HEADER_MAX_LINES, that are short and at this edge
    on most pages. When the line after them is on as many pages as they are, they begin
    content that repeats from page to page (the same paragraph on every page): no block."""
    n = 0
    while n < min(len(lines), HEADER_MAX_LINES):
        key = _header_key(lines[n][2])
        if key not in edge or len(lines[n][2]) > HEADER_MAX_CHARS:
            break
        n += 1
    if n and n < len(lines):
        rarest = min(pages_with[_header_key(line)] for _, _, line in lines[:n])
        if pages_with[_header_key(lines[n][2])] >= rarest:
            return range(0)
    return range(n)


def _furniture_edits(text: str) -> list[tuple[int, int, str]]:
    """Running headers and footers, and bare page numbers.

    A line is a running header (footer) only when it is short, stands within
    HEADER_MAX_LINES of the top (bottom) of most pages, and stands there on this page
    (`_edge_block`); and it is kept on a page where it would be most of the text."""
    pages = _page_lines(text)
    if len(pages) < 2:
        return []
    threshold = max(2, (len(pages) + 1) // 2)
    pages_with: Counter[str] = Counter()
    tops: Counter[str] = Counter()
    bottoms: Counter[str] = Counter()
    for lines in pages:
        keys = [_header_key(line) for _, _, line in lines]
        pages_with.update(set(keys))
        tops.update(set(keys[:HEADER_MAX_LINES]))
        bottoms.update(set(keys[-HEADER_MAX_LINES:]))
    top_lines = {key for key, n in tops.items() if n >= threshold}
    bottom_lines = {key for key, n in bottoms.items() if n >= threshold}
    edits = []
    for lines in pages:
        numbers = {i for i, (_, _, line) in enumerate(lines) if _PAGE_NUMBER.match(line)}
        headers = set(_edge_block(lines, top_lines, pages_with))
        headers |= {len(lines) - 1 - i for i in _edge_block(lines[::-1], bottom_lines, pages_with)}
        headers -= numbers
        if 2 * sum(len(lines[i][2]) for i in headers) >= sum(len(line) for _, _, line in lines):
            headers = set()  # most of the page: content, not furniture
        for i in sorted(headers | numbers):
            start, end, _ = lines[i]
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
    if re.match(r"\ufeff?WEBVTT\b", text):
        text, offsets = _edit(text, offsets, _same_speaker_edits(text))
        text, offsets = _edit(text, offsets, _regex_edits(text, _CAPTIONS))
    text, offsets = _edit(text, offsets, _furniture_edits(text))
    text, offsets = _edit(text, offsets, _regex_edits(text, _MARKUP))
    text, offsets = _edit(text, offsets, _welsh_edits(text))
    text, offsets = _edit(text, offsets, _whitespace_edits(text))
    # drop spaces that now begin or end a line
    edge = [(m.start(), m.end(), "") for m in re.finditer(r"(?<=\n) +| +(?=\n)|^ +| +$", text)]
    text, offsets = _edit(text, offsets, edge)
    return CleanText(text, offsets)
