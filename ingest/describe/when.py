"""The document's own date and how much of it the text gives (day, month or year). Full
dates ("14th May 2019", "1st of August 2019", 01/08/2019, Welsh ordinals), a month or a year
alone, read from a "Date:"-like header line, a minutes heading ("held on ..."), a "Published"
line, a date standing alone in the letterhead or the signature, or a "Last updated" stamp, in
that order of trust: a date inside a sentence is an event, not the document's date.
"""

from __future__ import annotations

import re
from datetime import date as Date

from ingest.dates import MONTH_WORD, month_number
from ingest.describe.layout import _Layout
from ingest.describe.text import _ITEM_SEPARATOR_RE, _lines, _snippet
from ingest.types import DatePrecision, DocType

_MONTH = rf"(?P<month>{MONTH_WORD})"
_DATE_RE = re.compile(
    rf"(?<!\w)(?:"
    rf"(?P<day>\d{{1,2}})(?:st|nd|rd|th|af|il|ydd|ed|fed)?\s+(?:of\s+)?{_MONTH},?\s+(?P<year>\d{{4}})"
    rf"|{_MONTH.replace('month', 'month2')}\s+(?P<day2>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year2>\d{{4}})"
    rf"|(?P<iy>\d{{4}})-(?P<im>\d{{1,2}})-(?P<id>\d{{1,2}})"
    rf"|(?P<sd>\d{{1,2}})[/.](?P<sm>\d{{1,2}})[/.](?P<sy>\d{{4}})"
    rf")(?!\w)",
    re.IGNORECASE,
)
# A month and a year with no day: "July 2019", a bilingual "Gorffennaf / July 2019".
_MONTH_YEAR_RE = re.compile(
    rf"(?<![\w/])(?:{MONTH_WORD}\s*[/|]\s*)?{_MONTH},?\s+(?P<year>(?:19|20)\d\d)(?![\w/-])",
    re.IGNORECASE,
)
# A year alone ("Published: 2019"); "2019-20" is a financial year, not a date.
_YEAR_RE = re.compile(r"^\W*(?P<year>(?:19|20)\d\d)\W*$")
_WEEKDAY = r"(?:(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day|dydd\s+\w+),?\s+)?"  # Welsh "Dydd Iau"
# What may stand beside a letter's own date on its line.
_DATE_LINE_BEFORE_RE = re.compile(rf"^\s*(?:dated?\s*:?\s*)?{_WEEKDAY}\W{{0,2}}$", re.IGNORECASE)
_POSTCODE_BEFORE_RE = re.compile(rf"\b[A-Z]{{1,2}}\d[A-Z\d]?\s*\d[A-Z]{{2}}\W{{0,3}}(?i:{_WEEKDAY})$")
_SALUTATION_AFTER_RE = re.compile(r"^\W{0,2}(?:Dear|Annwyl)\b")
# Date lines with or without a colon, anywhere: "Published July 2020", "Last updated 3 December 2019".
_DATELINE_RE = re.compile(
    r"""
    (?:^[^\w\n]{0,3}|(?<=[|·•])[ \t]*)                  # a line, or an item of a byline ("Jo Bloggs · Posted ...")
    (?:
        (?P<published>
            (?:first[ ])?published                        # a publication line
          | posted
          | issued(?=[ ]on\b|[ ]*:)                       # "Issued on the 3rd of March 2020 by:"
          | for[ ]immediate[ ]release                     # a press release's date line
          | (?:\w+[ ])?version[ ][\d.]+,?[ ]dated)         # "Deck version 1.2, dated 12 May 2020"
      | (?P<updated>(?:page[ ])?last[ ](?:updated|modified)|updated)   # a web page's stamp
    )
    (?:[ ](?:on|in))?[ \t]*:?[ \t]*(?P<value>[^\n]{4,60})$
    """,
    re.IGNORECASE | re.MULTILINE | re.VERBOSE,
)


_When = tuple[Date, DatePrecision, str]  # a date, how much of it the text gives, the line it stands on


def _to_date(m: re.Match[str]) -> Date | None:
    try:
        if m.group("year"):
            return Date(int(m.group("year")), _month(m.group("month")), int(m.group("day")))
        if m.group("year2"):
            return Date(int(m.group("year2")), _month(m.group("month2")), int(m.group("day2")))
        if m.group("iy"):
            return Date(int(m.group("iy")), int(m.group("im")), int(m.group("id")))
        # Slashed dates are British: day first.
        return Date(int(m.group("sy")), int(m.group("sm")), int(m.group("sd")))
    except ValueError:
        return None


def _month(word: str) -> int:
    return month_number(word) or 0  # 0: date() raises ValueError, which callers treat as no date


def dates_in(text: str) -> list[Date]:
    """Every full date written in `text` ("14th May 2019", "1st of August 2019", 01/08/2019)."""
    return [d for m in _DATE_RE.finditer(text) if (d := _to_date(m))]


def _parse_when(s: str) -> tuple[Date, DatePrecision] | None:
    """The first date in `s`: a full one, else a month ("July 2019"), else a year standing alone."""
    for m in _DATE_RE.finditer(s):
        if d := _to_date(m):
            return d, "day"
    for m in _MONTH_YEAR_RE.finditer(s):
        if month := month_number(m.group("month")):
            return Date(int(m.group("year")), month, 1), "month"
    y = _YEAR_RE.match(s)
    return (Date(int(y.group("year")), 1, 1), "year") if y else None


def _standalone(line: str) -> tuple[Date, DatePrecision] | None:
    """A date standing alone on a letterhead's line ("14th May 2019", "Gorffennaf / July 2019"),
    or flattened beside a postcode or a salutation."""
    for m in _DATE_RE.finditer(line):
        before, after = line[: m.start()], line[m.end() :].strip(" .,")
        alone = _DATE_LINE_BEFORE_RE.match(before) and not after
        # Flattened letters: "... SW1P 4DF 14th May 2019 Dear Home Secretary ..."
        flattened = _POSTCODE_BEFORE_RE.search(before) or _SALUTATION_AFTER_RE.match(after)
        if (alone or flattened) and (d := _to_date(m)):
            return d, "day"
    my = _MONTH_YEAR_RE.search(line)
    if my and _DATE_LINE_BEFORE_RE.match(line[: my.start()]) and not _MONTH_YEAR_RE.sub("", line).strip(" .,/|\t"):
        month = month_number(my.group("month"))
        return (Date(int(my.group("year")), month, 1), "month") if month else None
    return None


MAX_ITEMS = 4


def _items(line: str, beside: list[str]) -> list[str]:
    """The parts of a line: a bilingual date's halves, and the items of a masthead or a
    byline set out with separators, unless it is a table's row (a long one, or one with a row
    beside it): a date in a row's cell is an event's, not the document's."""
    items = _ITEM_SEPARATOR_RE.split(line)
    table = len(items) > MAX_ITEMS or any(_ITEM_SEPARATOR_RE.search(b) for b in beside)
    return line.split(" / ") + ([] if len(items) < 2 or table else items)


def _standalone_date(lay: _Layout) -> _When | None:
    """A date standing alone in the letter's header or signature. Dates inside sentences are
    events, not the document's date."""
    t = lay.text
    # The letterhead and address down to the salutation, and a little after it (some
    # layouts put the date under the subject line).
    zones = [(0, min(len(t), lay.salutation.end() + 200) if lay.salutation else min(len(t), 1200))]
    if lay.signature:
        zones.append((lay.signature[0], min(len(t), lay.signature[1] + 200)))
    for start, end in zones:
        lines = _lines(t, start, end)
        for i, (offset, line) in enumerate(lines):
            # a bilingual letterhead gives the date twice: "Dydd Iau 11 Mehefin 2020 / Thursday 11 June 2020";
            # a masthead or a byline sets it among other items: "Issue 14 | May 2020", "14 posts | Jul 21, 2020"
            items = _items(line, [lines[j][1] for j in (i - 1, i + 1) if 0 <= j < len(lines)])
            if found := next(filter(None, map(_standalone, [line, *items])), None):
                return (*found, _snippet(t, offset, offset + len(line)))
    return None


def _field_date(lay: _Layout, key: str) -> _When | None:
    if key in lay.fields and (found := _parse_when(lay.fields[key])):
        return (*found, lay.field_line(key))
    return None


def _dateline(t: str, key: str) -> _When | None:
    """A "Published July 2020" / "Last updated: 3 December 2019" line anywhere in the text."""
    for m in _DATELINE_RE.finditer(t):
        if m.group(key) and (found := _parse_when(m.group("value"))):
            return (*found, _snippet(t, m.start(), m.end()))
    return None


# The document saying when it was published, in its first lines: "This blog, published on 14
# July 2020, is the third in my series"; not another document's date ("the inspectorate
# published its report on ...").
_SELF_PUBLISHED = re.compile(
    r"\bthis\s+(?:blog|post|article|page|bulletin|newsletter|statement|update|issue)\b,?\s+(?:was\s+)?"
    r"(?:published|posted|written|issued)\s+(?:on\s+)?(?P<value>[^\n,;]{4,40})",
    re.IGNORECASE,
)
_OPENING = 2000  # characters: the first lines, where a document says what it is (layout._TOP: its letterhead)


def _self_published(t: str) -> _When | None:
    m = _SELF_PUBLISHED.search(t[:_OPENING])
    if m and (found := _parse_when(m.group("value"))):
        return (*found, _snippet(t, m.start(), m.end()))
    return None


def _held_on(t: str) -> _When | None:
    """The day of the meeting a document records, near its top ("Meeting held in Committee
    Room 1 ... on Thursday 30 January 2020"): a transcript or notes of a meeting are of that day."""
    held = re.search(r"\b(?:meeting|session|hearing)\s+(?:was\s+)?held\b[^\n]{0,200}", t[:_OPENING], re.IGNORECASE)
    if held and (found := _parse_when(held.group(0))) and found[1] == "day":
        return (*found, _snippet(t, held.start(), held.end()))
    return None


def _minutes_date(lay: _Layout, cue: tuple[int, int] | None) -> _When | None:
    """The date of a minuted meeting: on its heading ("held ... on Tuesday 18 June 2019"),
    else the first "held on <date>" near the top."""
    t = lay.text
    if cue:
        for offset, line in _lines(t, cue[0], min(len(t), cue[1] + 200))[:2]:
            if found := _parse_when(line):
                return (*found, _snippet(t, offset, offset + len(line)))
    held = re.search(r"\bheld\b[^\n]{0,200}", t[:1500], re.IGNORECASE)
    if held and (found := _parse_when(held.group(0))):
        return (*found, _snippet(t, held.start(), held.end()))
    return None


# A paper's own date before the date of the meeting it goes to ("Date of report: 29 June 2020"
# under "Meeting date: 9 July 2020").
_DATE_FIELDS = ("date", "published", "as_at", "exported", "sent", "held")
_EMAIL_DATE_FIELDS = ("sent", "date", "published")


def _find_date(lay: _Layout, doc_type: DocType, cue: tuple[int, int] | None) -> _When | None:
    """The document's own date, by how surely each place gives it: a "Date:"-like header line,
    the minuted meeting's date, a "Published" line, a date standing alone in the letterhead or
    the signature, and last a "Last updated" stamp (a web page's only date)."""
    for key in _EMAIL_DATE_FIELDS if doc_type == DocType.email else _DATE_FIELDS:
        if found := _field_date(lay, key):
            return found
    if doc_type == DocType.minutes and (found := _minutes_date(lay, cue)):
        return found
    return (
        _dateline(lay.text, "published")
        or _self_published(lay.text)
        or _standalone_date(lay)
        or _field_date(lay, "updated")
        or _dateline(lay.text, "updated")
        or _held_on(lay.text)
    )


def _find_meeting_date(lay: _Layout, doc_type: DocType, own: _When | None) -> _When | None:
    """The date of the meeting a paper goes to ("Meeting date: 9 July 2020", "Meeting: 19 May
    2020, agenda item 6"); minutes are dated by the meeting they record."""
    if doc_type == DocType.minutes:
        return own
    return _field_date(lay, "held") or _field_date(lay, "meeting")
