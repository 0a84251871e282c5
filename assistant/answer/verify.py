"""Verify a model-written answer against the sources it was given.

A sentence survives only when it cites, with a `[n]` marker the model wrote outside any
quotation, a source that was provided, and when every span it puts in double quotes is
found word for word (case, whitespace and typography aside) in a cited document. Markers
that point nowhere are struck out; sentences left without support are removed and listed.
The surviving citations are renumbered 1..m in order of first appearance.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache, partial

from assistant.types import Citation


@dataclass(frozen=True)
class Source:
    """A numbered passage shown to the model: its citation and its document's full text."""

    n: int
    citation: Citation
    document_text: str


@dataclass
class Claim:
    """A kept sentence and the (renumbered) sources it cites."""

    text: str
    cites: list[int]
    negative: bool  # says something is *not* so: it asserts nothing about the cited force


@dataclass
class Verified:
    text: str
    citations: list[Citation] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)  # sentences dropped as unsupported
    flags: list[str] = field(default_factory=list)  # one line per problem found
    claims: list[Claim] = field(default_factory=list)


# [1] · [1, 2] · [1-3] · [1][2]: what a model writes for citations.
MARKER = re.compile(r"\[\s*(\d{1,3}(?:\s*(?:[,;]|-|–|and)\s*\d{1,3})*)\s*\]")
# Double-quoted spans, typographic or straight. Single quotes are apostrophes too often to count.
QUOTED = re.compile(r"“([^”]*)”|\"([^\"]*)\"")
_ELLIPSIS = re.compile(r"\s*(?:\.\.\.|…|\[\s*(?:\.\.\.|…)\s*\])\s*")
_NEGATION = re.compile(r"\b(?:not|no|never|none|neither|nor|without|cannot|unclear)\b|n't\b", re.I)
_ABBREVIATIONS = frozenset("mr mrs ms dr st no nos para paras e.g i.e etc cf vs ch sec rt hon".split())
_TYPOGRAPHY = str.maketrans(
    {
        "‘": "'",
        "’": "'",
        "‚": "'",
        "‛": "'",
        "“": '"',
        "”": '"',
        "„": '"',
        "–": "-",
        "—": "-",
        "‑": "-",
        "\u00ad": None,
        "\u00a0": " ",
    }
)


def normalise(text: str) -> str:
    """Text as compared for quoting: PDF debris (HTML tags, **bold**), typography, case and
    whitespace set aside; the words themselves must match."""
    text = re.sub(r"<[^>\n]{1,40}>", " ", text)
    text = text.translate(_TYPOGRAPHY).replace("*", " ").replace("\\", "")
    return " ".join(text.casefold().split())


@lru_cache(maxsize=256)
def _normalised_document(text: str) -> str:
    return normalise(text)


def quote_found(quote: str, document_text: str) -> bool:
    """True when `quote` stands verbatim in the document; a quote elided with "..." must
    have each of its parts there, in order."""
    haystack = _normalised_document(document_text)
    position = 0
    parts = [normalise(p) for p in _ELLIPSIS.split(quote)]
    parts = [p for p in parts if p]
    if not parts:
        return True  # "" or "..." quotes nothing
    for part in parts:
        found = haystack.find(part, position)
        if found < 0:
            return False
        position = found + len(part)
    return True


def marker_numbers(group: str) -> list[int]:
    """The numbers of one marker group: "1, 2" -> [1, 2]; "1-3" -> [1, 2, 3]."""
    numbers: list[int] = []
    for piece in re.split(r"\s*(?:[,;]|and)\s*", group):
        if m := re.fullmatch(r"(\d+)\s*[-–]\s*(\d+)", piece.strip()):
            low, high = int(m.group(1)), int(m.group(2))
            numbers += list(range(low, high + 1)) if 0 < high - low < 20 else [low, high]
        elif piece.strip().isdigit():
            numbers.append(int(piece))
    return numbers


def _quote_spans(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in QUOTED.finditer(text)]


def _inside(position: int, spans: list[tuple[int, int]]) -> bool:
    return any(start < position < end for start, end in spans)


def escape_quoted_markers(text: str) -> str:
    """Markdown-escape "[n]" inside quoted text ("… cite [3] …" -> "… cite \\[3\\] …"): a
    marker a document contains is what the document says, never a citation."""
    spans = _quote_spans(text)
    if not spans:
        return text
    return MARKER.sub(lambda m: rf"\[{m.group(1)}\]" if _inside(m.start(), spans) else m.group(0), text)


def split_sentences(line: str) -> list[str]:
    """Sentences of one line of model output. A full stop inside a quotation ends nothing,
    and markers after a full stop ("... done. [2]") belong to the sentence before them."""
    sentences, start, i, in_curly, in_straight = [], 0, 0, False, False
    while i < len(line):
        ch = line[i]
        if ch == "“":
            in_curly = True
        elif ch == "”":
            in_curly = False
        elif ch == '"':
            in_straight = not in_straight
        elif ch in ".!?" and not (in_curly or in_straight):
            end = i + 1
            while end < len(line) and line[end] in ".!?)":
                end += 1
            while m := MARKER.match(line, _skip_spaces(line, end)):
                end = m.end()
            if m := re.match(r"[.!?]+", line[end:]):
                end += m.end()
            word = re.search(r"([\w.]+)\.$", line[start : i + 1])
            abbreviation = word is not None and word.group(1).lower().rstrip(".") in _ABBREVIATIONS
            nxt = _skip_spaces(line, end)
            if end >= len(line) or (nxt > end and not abbreviation and re.match(r"[A-Z0-9“\"*(\[]", line[nxt])):
                sentences.append(line[start:end].strip())
                start = i = nxt
                continue
            i = end
            continue
        i += 1
    if line[start:].strip():
        sentences.append(line[start:].strip())
    return sentences


def _skip_spaces(text: str, position: int) -> int:
    while position < len(text) and text[position] in " \t":
        position += 1
    return position


_PREFIX = re.compile(r"^(\s*(?:#{1,6}\s+|[-*+•]\s+|\d{1,2}[.)]\s+)?)")


class _Renumber:
    def __init__(self, sources: dict[int, Source]):
        self.sources = sources
        self.new: dict[int, int] = {}

    def __call__(self, old: int) -> int:
        return self.new.setdefault(old, len(self.new) + 1)

    def citations(self) -> list[Citation]:
        return [self.sources[old].citation.model_copy(update={"n": new}) for old, new in self.new.items()]


def verify(text: str, sources: list[Source]) -> Verified:
    """Check `text` (a model's answer) against `sources`; see the module docstring."""
    by_n = {s.n: s for s in sources}
    renumber = _Renumber(by_n)
    out = Verified(text="")
    lines: list[str] = []
    for line in text.splitlines():
        if not line.strip():
            if lines and lines[-1]:
                lines.append("")
            continue
        prefix = m.group(1) if (m := _PREFIX.match(line)) else ""
        kept = []
        for sentence in split_sentences(line[len(prefix) :]):
            checked = _check(sentence, by_n, out)
            if checked is None:
                out.removed.append(sentence)
                continue
            sentence, cited, negative = checked
            new = [renumber(n) for n in cited]
            sentence = MARKER.sub(partial(_rewrite, spans=_quote_spans(sentence), renumber=renumber), sentence)
            out.claims.append(Claim(sentence, new, negative))
            kept.append(sentence)
        if kept:
            lines.append(prefix + " ".join(kept))
    out.text = "\n".join(lines).strip()
    out.citations = renumber.citations()
    return out


def _rewrite(m: re.Match, spans: list[tuple[int, int]], renumber: _Renumber) -> str:
    if _inside(m.start(), spans):
        return rf"\[{m.group(1)}\]"
    return "".join(f"[{renumber(n)}]" for n in dict.fromkeys(marker_numbers(m.group(1))))


def _check(sentence: str, sources: dict[int, Source], out: Verified) -> tuple[str, list[int], bool] | None:
    """(sentence with bad markers struck, cited source numbers, negative) or None to remove it."""
    if sentence.count("“") != sentence.count("”") or sentence.count('"') % 2:
        out.flags.append(f"unbalanced quotation marks; removed: {_short(sentence)}")
        return None
    spans = _quote_spans(sentence)
    cited: list[int] = []
    bad: list[int] = []

    def keep_valid(m: re.Match) -> str:
        if _inside(m.start(), spans):
            return m.group(0)  # a marker inside a quote is the document's, not the model's
        numbers = list(dict.fromkeys(marker_numbers(m.group(1))))
        valid = [n for n in numbers if n in sources]
        bad.extend(n for n in numbers if n not in sources)
        cited.extend(n for n in valid if n not in cited)
        return f"[{', '.join(map(str, valid))}]" if valid else ""

    struck = MARKER.sub(keep_valid, sentence)
    struck = re.sub(r"\s+([.,;:!?])", r"\1", re.sub(r"[ \t]{2,}", " ", struck)).strip()
    for n in bad:
        out.flags.append(f"marker [{n}] points at no source; struck out")
    if not cited:
        out.flags.append(f"no citation to a source; removed: {_short(sentence)}")
        return None
    documents = [sources[n].document_text for n in cited]
    for m in QUOTED.finditer(struck):
        quote = m.group(1) if m.group(1) is not None else m.group(2)
        if not any(quote_found(quote, doc) for doc in documents):
            cited_list = ", ".join(f"[{n}]" for n in cited)
            out.flags.append(f"quote not in {cited_list}: “{_short(quote)}”; removed: {_short(sentence)}")
            return None
    outside = QUOTED.sub(" ", struck)
    return struck, cited, bool(_NEGATION.search(outside))


def _short(text: str, limit: int = 120) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
