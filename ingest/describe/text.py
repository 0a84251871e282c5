"""The text describe reads: a normalised copy of the document (PDF and markdown debris,
running headers and footers and page numbers removed; quotes and spaces made plain; a gap
between columns one tab), its non-empty lines with their offsets, and the evidence snippet
for a span (the line, or the sentence of a paragraph, a fact was read from). Every other
module matches against this copy, so that raw and cleaned text, PDF and markdown read alike.
"""

from __future__ import annotations

import re
from collections import Counter

_Span = tuple[int, int]  # a span of the normalised text: a line, a field, a match

_RUNNING_LINE_RE = re.compile(
    r"""
    ^[ \t]*(?:
        (?:OFFICIAL(?:[-\ ]SENSITIVE)?|NOT[ ]PROTECTIVELY[ ]MARKED|UNCLASSIFIED|RESTRICTED)  # a security marking
            (?:[ \t]*[-–|:][^\n]*)?                       # ... opening a running header
      | (?i:page)[ \t]+\d{1,4}(?:[ \t]+(?i:of)[ \t]+\d{1,4})?   # "Page 2 of 3"
      | [-–][ \t]*\d{1,4}[ \t]*[-–]                       # "- 21 -"
    )[ \t]*$
    """,
    re.MULTILINE | re.VERBOSE,
)
_MD_LINK_RE = re.compile(r"!?\[([^\]\n]{0,200})\]\([^)\n]{0,300}\)")
_ITALIC_RE = re.compile(r"(?<![\w*])\*(?=[^\s*])([^*\n]{1,400}?)(?<=[^\s*])\*(?![\w*])")
_PLAIN = str.maketrans(
    {"‘": "'", "’": "'", "“": '"', "”": '"', "\u00a0": " ", "\u2009": " ", "\u202f": " ", "\u200b": ""}
)
# What sets a masthead's or a byline's items apart on one line: "Issue 14 | May 2020",
# "Chief Constable Nadia Harcourt · Posted 12/03/2020 · 4 min read".
_ITEM_SEPARATOR_RE = re.compile(r"\s*[|·•]\s*")
_SNIPPET = 200  # an evidence snippet longer than this is cut to its sentence, then to a window
_SENTENCE_GAP_RE = re.compile(r"(?<=[.!?])[\s\"')]+(?=[A-Z0-9\"'(])")


def _drop_running_lines(text: str) -> str:
    """Without the lines repeated at the top or bottom of most pages (pages split by form feeds)."""
    pages = text.split("\f")
    if len(pages) < 2:
        return text
    seen: Counter[str] = Counter()
    for page in pages:
        lines = [ln.strip() for ln in page.split("\n") if ln.strip()]
        seen.update({re.sub(r"\d+", "#", ln) for ln in lines[:3] + lines[-3:]})
    repeated = {ln for ln, n in seen.items() if n >= max(2, (len(pages) + 1) // 2)}
    if not repeated:
        return text
    lines = text.split("\n")
    return "\n".join("" if ln.strip() and re.sub(r"\d+", "#", ln.strip()) in repeated else ln for ln in lines)


def _gap(m: re.Match[str]) -> str:
    """A gap inside a line: a column gap (a tab, three spaces, two after a word) or a space,
    as ingest.clean decides, so that describe reads raw and cleaned text alike."""
    run = m.group(0)
    if "\t" in run or len(run) >= 3:
        return "\t"
    return "\t" if m.string[m.start() - 1] not in ".!?:;," else " "


def _normalise(text: str) -> str:
    """A copy for matching: PDF/markdown debris and page furniture removed, quotes and spaces
    made plain; a gap between columns is one tab, other spaces one space."""
    t = text.replace("\r\n", "\n").replace("\r", "\n")
    t = _drop_running_lines(t).replace("\f", "\n")
    t = re.sub(r"</?(?:sup|sub|b|i|u|strong|em|span)\b[^>\n]{0,40}>", "", t, flags=re.IGNORECASE)
    t = re.sub(r"</?(?:p|br|div|tr|td|th|li)\b[^>\n]{0,40}>", "\n", t, flags=re.IGNORECASE)
    t = _MD_LINK_RE.sub(r"\1", t)
    t = t.replace("**", "").replace("__", "")
    t = _ITALIC_RE.sub(r"\1", t)
    t = t.translate(_PLAIN)
    t = re.sub(r"^[ \t]*(?:#{1,6}|[-*•·▪][ \t])[ \t]*", "", t, flags=re.MULTILINE)
    t = _RUNNING_LINE_RE.sub("", t)
    t = re.sub(r"(?<=\S)(?:[ \t]{2,}|\t)(?=\S)", _gap, t)
    t = re.sub(r"[ \t]*\n[ \t]*", "\n", t)
    return t.strip()


def _lines(t: str, start: int, end: int) -> list[tuple[int, str]]:
    """Non-empty lines of t[start:end] as (offset, text)."""
    out, pos = [], start
    for line in t[start:end].split("\n"):
        if line.strip():
            out.append((pos, line))
        pos += len(line) + 1
    return out


def _line_span(t: str, pos: int) -> tuple[int, int]:
    """The span of the line holding offset `pos`."""
    start = t.rfind("\n", 0, pos) + 1
    end = t.find("\n", pos)
    return start, len(t) if end < 0 else end


def _snippet(t: str, start: int, end: int) -> str:
    """The line holding t[start:end]; of a long line (a paragraph), the sentence holding it,
    or about _SNIPPET characters around it."""
    ls, le = _line_span(t, start)
    end = min(max(end, start), le)
    if le - ls > _SNIPPET:
        bounds = [ls, *(m.end() for m in _SENTENCE_GAP_RE.finditer(t, ls, le)), le + 1]
        a = max(b for b in bounds if b <= start)
        b = min(b for b in bounds if b > max(start, end - 1)) - 1
        ls, le = a, max(b, end)
    if le - ls > _SNIPPET * 3 // 2:
        a = max(ls, min(start - 40, le - _SNIPPET))
        b = min(le, max(a + _SNIPPET, end), a + _SNIPPET * 3 // 2)  # a span longer than that is cut too
        if a > ls:
            space = t.find(" ", a, start)
            a = space + 1 if space >= 0 else a
        if b < le:
            space = t.rfind(" ", end, b)
            b = space if space >= 0 else b
        ls, le = a, b
    return " ".join(t[ls:le].split())
