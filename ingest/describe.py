"""Describe a document from its text: who wrote it, for which force, to whom, when, and
which inspection report it answers.

Everything here is derived from the text alone (never the file name), with regular
expressions over a lightly normalised copy: no model, no network, deterministic, and a
few milliseconds per document. The signals are those a reader uses: the letterhead and
the signature say who wrote; "To:/From:/Date:" header lines say it is a board paper;
"Dear Home Secretary" or a Home Office address says where a letter went; "an inspection
of Sussex Police" names the *subject*, which is discounted when choosing the author's force.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date as Date
from functools import lru_cache

from ingest.dates import MONTH_WORD, month_number
from ingest.forces import find_forces, normalise_force
from ingest.types import AuthorRole, DocType, DocumentMeta

__all__ = ["KNOWN_REPORTS", "KnownReport", "describe"]


@dataclass(frozen=True)
class KnownReport:
    """An inspection report recognised by cue phrases (regexes, case-insensitive)."""

    label: str  # canonical label stored in DocumentMeta.report
    short: str  # how a title refers to it: "comments on the HMICFRS Sussex stalking inspection"
    cues: tuple[str, ...]


# A few reports people answer often. Unknown reports fall back to a quoted title found
# next to "report" / "inspection" (see _quoted_report).
KNOWN_REPORTS: tuple[KnownReport, ...] = (
    KnownReport(
        "Stalking and harassment: inspection of Sussex Police (2019)",
        "the HMICFRS Sussex stalking inspection",
        (
            r"inspection\s+of\s+sussex\s+police",
            r"sussex\s+police\W{1,5}stalking\s+and\s+harassment",
            # Its recommendations, quoted back by the forces that answer it.
            r"victims\s+report\s+breaches\s+of\s+orders",
            r"treating\s+breaches\s+of\s+orders",
        ),
    ),
    KnownReport(
        "Living in Fear (2017)",
        "the Living in Fear report",
        (r"living\s+in\s+fear", r"police\s+and\s+cps\s+response\s+to\s+harassment\s+and\s+stalking"),
    ),
    KnownReport(
        "The poor relation (2019)",
        "the Poor Relation report on crimes against older people",
        (r"the\s+poor\s+relation", r"response\s+to\s+crimes\s+against\s+older\s+people"),
    ),
    KnownReport(
        "Everyone's business (2014)",
        "the Everyone's Business domestic abuse report",
        (r"everyone'?s\s+business\W{1,5}improving\s+the\s+police\s+response\s+to\s+domestic\s+abuse",),
    ),
    KnownReport(
        "Shining a light on betrayal (2019)",
        "the Shining a Light on Betrayal report",
        (r"shining\s+a\s+light\s+on\s+betrayal",),
    ),
    KnownReport(
        "Fraud: Time to choose (2019)",
        "the Fraud: Time to Choose report",
        (r"fraud\W{1,5}time\s+to\s+choose",),
    ),
)

# --------------------------------------------------------------------------- patterns

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
_WEEKDAY = r"(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+)?"
# What may stand beside a letter's own date on its line.
_DATE_LINE_BEFORE_RE = re.compile(rf"^\s*(?:dated?\s*:?\s*)?{_WEEKDAY}\W{{0,2}}$", re.IGNORECASE)
_POSTCODE_BEFORE_RE = re.compile(rf"\b[A-Z]{{1,2}}\d[A-Z\d]?\s*\d[A-Z]{{2}}\W{{0,3}}(?i:{_WEEKDAY})$")
_SALUTATION_AFTER_RE = re.compile(r"^\W{0,2}(?:Dear|Annwyl)\b")

# "Date:", "Date of meeting:", "Published:", "Dyddiad | Date:" at the start of a line.
_FIELD_RE = re.compile(
    r"^[ \t]*(?:[A-Za-z']+(?:\s+[A-Za-z']+)?\s*\|\s*)?"
    r"(?P<key>to|from|date|date\s+of\s+(?:meeting|report|paper|letter|issue|publication)|meeting\s+date"
    r"|publication\s+date|published"
    r"|title|subject|presented\s+by|report\s+(?:of|by)|author|agenda\s+item)"
    r"[ \t]*[:|][ \t]*(?P<value>[^\n]*)$",
    re.IGNORECASE | re.MULTILINE,
)
_AGENDA_RE = re.compile(r"^[ \t]*agenda\s+item\b", re.IGNORECASE | re.MULTILINE)
_BOARD_LINE_RE = re.compile(
    r"^[ \t]*((?:[A-Za-z&',\-]+[ \t]+){0,6}(?:board|panel|committee))[ \t]*$",
    re.IGNORECASE | re.MULTILINE,
)
_MEETING_RE = re.compile(r"\b(?:board|panel|committee|group|meeting|forum|executive|scrutiny)\b", re.IGNORECASE)
_BOARD_PROSE_RE = re.compile(
    r"\b(?:the\s+(?:board|panel|committee)\s+is\s+(?:asked|recommended|invited)\s+to"
    r"|purpose\s+of\s+(?:this|the)\s+(?:paper|report)"
    r"|presented\s+by\s*:)",
    re.IGNORECASE,
)

_SALUTATION_RE = re.compile(r"(?:^|\|)[ \t]*(?:Dear|Annwyl)\b[ \t]*(?P<to>[^\n|]*)$", re.MULTILINE)
# Text flattened from a PDF can put the salutation mid-line: "... SW1P 4DF Dear Home Secretary HMICFRS ...".
_INLINE_SALUTATION_RE = re.compile(
    r"(?<=[\s|])Dear\s+(?P<to>Home\s+Secretary|(?:[A-Z][\w.'-]*)(?:\s+[A-Z][a-z][\w.'-]*){0,2})"
)
_VALEDICTION_RE = re.compile(
    r"\b(?:yours\s+(?:sincerely|faithfully|truly)|kind\s+regards|best\s+wishes|yn\s+gywir|yn\s+ddiffuant)\b",
    re.IGNORECASE,
)
_CC_LINE_RE = re.compile(r"^[ \t]*(?:cc|c\.c\.|copy\s+to|copies\s+to|enc(?:losure)?s?|appendix)\b", re.IGNORECASE)
_INLINE_CC_RE = re.compile(r"(?<=\s)(?:cc|Cc|CC)\b:?\s")
_PROSE_END_RE = re.compile(r"\b[a-z][\w']*[.!?;:]$")
_HOME_SECRETARY_RE = re.compile(
    r"\bHome\s+Secretary\b|\bSecretary\s+of\s+State\s+for\s+the\s+Home\s+Department\b"
    r"|\bYsgrifennydd\s+Cartref\b",
    re.IGNORECASE,
)
_COMMENTS_HEADING_RE = re.compile(
    r"^[ \t]*(?:the\s+)?(?P<who>chief\s+constable|police\s*(?:and|&)\s*crime\s+commissioner"
    r"|police,?\s+fire\s+(?:and|&)\s+crime\s+commissioner|pf?cc|commissioner)"
    r"(?:'s|s'|s)?\s+(?:comments|response|statement|foreword)\b[^\n]{0,80}$",
    re.IGNORECASE | re.MULTILINE,
)

_ROLE_RE = re.compile(
    r"(?P<rank>(?i:deputy|assistant)\s+)?(?:(?i:acting|temporary|interim)\s+|T/)?"
    r"(?:(?P<pcc>(?i:police,?\s+(?:fire\s+(?:and|&)\s+|(?:and|&)\s+)crime\s+commissioner)"
    r"|(?i:comisiynydd\s+heddlu\s+a\s+throseddu)|\bPF?CC\b"
    r"|(?i:mayor\s+for\s+policing\s+and\s+crime))"
    r"|(?P<cc>(?i:chief\s+constable)))"
    r"(?P<possessive>'s)?"
)

_HONORIFIC = r"(?:(?:Dr|Sir|Dame|Mr|Mrs|Ms|Miss|Cllr|Councillor|Lord|Baroness|Lady|Prof|Professor)\.?\s+)"
_NAME_WORD = r"(?:Mc|Mac|O'|D')?[A-Z][a-z]+(?:[-'][A-Z]?[a-z]+)*"
_NAME_RE = re.compile(rf"{_HONORIFIC}?{_NAME_WORD}(?:[ \t]+(?:[A-Z]\.?[ \t]+)?{_NAME_WORD}){{1,3}}(?![\w.'-])")
# What may follow a name on a signature line: post-nominals ("B.Sc., MCIPD", "QPM", "OBE").
_POSTNOMINALS_RE = re.compile(r"^(?:[\s,;]|\(?[A-Z][A-Za-z.]*\)?)*$")
_NOT_NAME_WORDS = frozenset(
    "police crime commissioner constable chief office home secretary dear yours sincerely "
    "faithfully regards headquarters force constabulary service heddlu comisiynydd board "
    "deputy assistant acting temporary report inspection recommendation response the and "
    "street road london detective superintendent inspector sergeant officer commander head "
    "acc dcc".split()
)
_NOT_NAME_RE = re.compile(rf"\b(?:{'|'.join(sorted(_NOT_NAME_WORDS))})\b", re.IGNORECASE)

# A force named as the subject of an inspection, not as the author.
_SUBJECT_BEFORE_RE = re.compile(
    r"(?:inspections?|inspected|review|report|assessment)\s+(?:of|into|on)\s+(?:the\s+)?\W{0,2}$",
    re.IGNORECASE,
)
_SUBJECT_AFTER_RE = re.compile(r"^(?:\s+(?:police|constabulary))?['\s,]*(?:\(|commissioned\s+by)", re.IGNORECASE)
# Welsh area names that forces.py does not list on their own.
_WELSH_AREAS_RE = re.compile(
    r"\b(?:Heddlu\s+a\s+Throseddu|Heddlu)\s+(Gogledd\s+Cymru|De\s+Cymru|Dyfed[-\s]Powys|Gwent)\b",
    re.IGNORECASE,
)
_WELSH_AREAS = {"gogledd cymru": "North Wales", "de cymru": "South Wales"}

_RESPONSE_RE = re.compile(r"\b(?:respon(?:ds?|ded|ding|ses?)|answer(?:s|ed|ing)?)\b", re.IGNORECASE)
# A quoted title, "..." or '...'; an apostrophe ("HMICFRS's") neither opens nor closes one.
_QUOTED_RE = re.compile(
    r'"(?P<a>[^"\n]{6,220})"'
    r"|(?<![A-Za-z])'(?P<b>(?:[^'\n]|'(?=[a-z])){6,220}?)'(?![a-z])"
)
_REPORT_WORD_RE = re.compile(r"\b(?:report|inspection|review|thematic)\b", re.IGNORECASE)
# A report's year right beside its quoted title: "its 2017 report '...'" / "'...' (2017)"
# / "'...', published in July 2020". Other years nearby are events, not the report's.
_YEAR_BEFORE_RE = re.compile(
    r"\b(19[89]\d|20\d\d)\s+(?:[\w&-]+\s+){0,3}?(?:report|inspection|review)\b[^'\"\n]{0,25}\Z",
    re.IGNORECASE,
)
_YEAR_AFTER_RE = re.compile(
    r"^[\s,]*\(?(?:published\s+(?:in|on)\s+)?(?:\d{1,2}\s+)?(?:[A-Z][a-z]+\s+)?(19[89]\d|20\d\d)\b"
)

_PLAIN = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "\u00a0": " ", "\t": "  "})
_HEAD_CHARS, _TAIL_CHARS = 30_000, 6_000
_HEADER_MAX = 2500  # a salutation further down than this is not the letter's opening
_TOP = 400  # how far down a letterhead may run when there is no salutation to end it


# ------------------------------------------------------------------------ normalising


def _normalise(text: str) -> str:
    """A copy for matching: PDF/markdown debris removed, quotes and spaces made plain."""
    t = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    t = re.sub(r"</?(?:sup|sub|b|i|u|strong|em|span)\b[^>\n]{0,40}>", "", t, flags=re.IGNORECASE)
    t = re.sub(r"</?(?:p|br|div|tr|td|th|li)\b[^>\n]{0,40}>", "\n", t, flags=re.IGNORECASE)
    t = t.replace("**", "").replace("__", "")
    t = t.translate(_PLAIN)
    t = re.sub(r"^[ \t]*(?:#{1,6}|[-*•·▪][ \t])[ \t]*", "", t, flags=re.MULTILINE)
    t = re.sub(r"[ \t]+", " ", t)
    t = re.sub(r" ?\n ?", "\n", t)
    return t.strip()


def _lines(t: str, start: int, end: int) -> list[tuple[int, str]]:
    """Non-empty lines of t[start:end] as (offset, text)."""
    out, pos = [], start
    for line in t[start:end].split("\n"):
        if line.strip():
            out.append((pos, line))
        pos += len(line) + 1
    return out


# ---------------------------------------------------------------------------- layout


@dataclass
class _Layout:
    """Where the parts of a document are, in the normalised text."""

    text: str
    fields: dict[str, str]  # header fields: "to", "from", "date", "title", ...
    fields_end: int
    salutation: re.Match[str] | None
    header_end: int  # letterhead and address: before the salutation
    signature: tuple[int, int] | None  # the signing block (name, role, force)
    subject: str | None  # the line after the salutation ("Re: ...")
    headings: list[tuple[int, int]]  # where a document names its own subject: title, subject line


def _layout(t: str) -> _Layout:
    fields: dict[str, str] = {}
    fields_end = 0
    for m in _FIELD_RE.finditer(t, 0, min(len(t), 1500)):
        key = re.sub(r"\s+", " ", m.group("key").lower())
        key = "date" if key.startswith(("date", "meeting", "publi")) else key
        value = m.group("value").strip(" .")
        if key not in fields and value:
            fields[key] = value
            fields_end = m.end()
    salutation = _SALUTATION_RE.search(t, 0, _HEADER_MAX) or _INLINE_SALUTATION_RE.search(t, 0, _HEADER_MAX)
    header_end = salutation.start() if salutation else _letterhead_end(t)
    # The document's own heading lines: its first line (a title, or the letterhead), the
    # letterhead, the line after the header fields and the subject line after "Dear ...".
    headings = [(0, header_end)]
    for start in sorted({0, fields_end}):
        headings += _first_line(t, start)
    subject_line = _first_line(t, salutation.end()) if salutation else []
    headings += subject_line
    subject = t[subject_line[0][0] : subject_line[0][1]].strip() if subject_line else None
    signature = _signature(t, salutation)
    return _Layout(t, fields, fields_end, salutation, header_end, signature, subject, headings)


def _first_line(t: str, start: int) -> list[tuple[int, int]]:
    """The span of the first non-empty line from `start`, if it is short enough to be a heading."""
    first = _lines(t, start, min(len(t), start + 600))[:1]
    return [(first[0][0], first[0][0] + len(first[0][1]))] if first and len(first[0][1]) <= 300 else []


def _letterhead_end(t: str) -> int:
    """Without a salutation the letterhead is the short lines before the first prose."""
    end = 0
    for offset, line in _lines(t, 0, min(len(t), _TOP)):
        if not _is_signature_line(line):
            break
        end = offset + len(line)
    return end


def _signature(t: str, salutation: re.Match[str] | None) -> tuple[int, int] | None:
    """The signing block: the short lines after "Yours sincerely", else the short lines
    around a role ("Police and Crime Commissioner for ...") at the very end of the text."""
    valediction = _VALEDICTION_RE.search(t, salutation.end() if salutation else 0)
    if valediction:
        # "Yn gywir | Yours sincerely": the block starts after the last one on the line.
        line_end = t.find("\n", valediction.end())
        line_end = len(t) if line_end < 0 else line_end
        for later in _VALEDICTION_RE.finditer(t, valediction.end(), line_end):
            valediction = later
        start = valediction.end()
        # Flattened text may run name, role and copy list on one line: "... Gwent cc Wendy Williams".
        cc = _INLINE_CC_RE.search(t, start, line_end)
        end = cc.start() if cc else line_end
        for offset, line in _lines(t, line_end, min(len(t), line_end + 600))[:6]:
            if _CC_LINE_RE.match(line) or not _is_signature_line(line):
                break
            end = offset + len(line)
        return (start, end) if t[start:end].strip() else None
    lines = _lines(t, max(0, len(t) - 1500), len(t))
    while lines and _CC_LINE_RE.match(lines[-1][1]):
        lines.pop()
    for i in range(len(lines) - 1, max(-1, len(lines) - 5), -1):
        if _is_signature_line(lines[i][1]) and _role_matches(lines[i][1]):
            lo, hi = i, i
            while lo > max(0, i - 2) and _is_signature_line(lines[lo - 1][1]):
                lo -= 1
            while hi < min(len(lines) - 1, i + 2) and _is_signature_line(lines[hi + 1][1]):
                hi += 1
            return lines[lo][0], lines[hi][0] + len(lines[hi][1])
    return None


def _is_signature_line(line: str) -> bool:
    """Short, and not the end of a sentence: a name, a role, a force, a post-nominal."""
    line = line.strip()
    return len(line) <= 90 and len(line.split()) <= 12 and not _PROSE_END_RE.search(line)


# ----------------------------------------------------------------------------- dates


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


def _parse_date(s: str) -> Date | None:
    m = _DATE_RE.search(s)
    return _to_date(m) if m else None


def _find_date(lay: _Layout) -> Date | None:
    """The document's own date: a "Date:" line, else a date standing alone in the letter's
    header or signature. Dates inside sentences are events, not the document's date."""
    if "date" in lay.fields and (d := _parse_date(lay.fields["date"])):
        return d
    t = lay.text
    # The letterhead and address down to the salutation, and a little after it (some
    # layouts put the date under the subject line).
    zones = [(0, min(len(t), lay.salutation.end() + 200) if lay.salutation else min(len(t), 1200))]
    if lay.signature:
        zones.append((lay.signature[0], min(len(t), lay.signature[1] + 200)))
    for start, end in zones:
        for _, line in _lines(t, start, end):
            for m in _DATE_RE.finditer(line):
                before, after = line[: m.start()], line[m.end() :].strip(" .,")
                alone = _DATE_LINE_BEFORE_RE.match(before) and not after
                # Flattened letters: "... SW1P 4DF 14th May 2019 Dear Home Secretary ..."
                flattened = _POSTCODE_BEFORE_RE.search(before) or _SALUTATION_AFTER_RE.match(after)
                if (alone or flattened) and (d := _to_date(m)):
                    return d
    return None


# ------------------------------------------------------------------------- doc type


def _is_board_paper(lay: _Layout) -> bool:
    t = lay.text
    head = t[: max(lay.fields_end, 1500)]
    signals = sum(
        (
            bool(_AGENDA_RE.search(head)),
            bool(_BOARD_LINE_RE.search(t, 0, 600)),
            bool(_BOARD_PROSE_RE.search(t)),
            any(k in lay.fields for k in ("presented by", "report of", "report by")),
            "date" in lay.fields and "title" in lay.fields,
        )
    )
    if "to" in lay.fields and "from" in lay.fields:
        # A memo: a paper when it goes to a meeting ("To: Business Coordination Board").
        to = lay.fields["to"]
        return not _HOME_SECRETARY_RE.search(to) and bool(_MEETING_RE.search(to) or signals)
    return signals >= 2 and not lay.salutation


def _to_home_secretary(lay: _Layout) -> bool:
    t = lay.text
    if lay.salutation and _HOME_SECRETARY_RE.search(lay.salutation.group("to") or ""):
        return True
    if "to" in lay.fields and _HOME_SECRETARY_RE.search(lay.fields["to"]):
        return True
    # The address block of a letter: "Home Secretary / Home Office / 2 Marsham Street".
    return bool(lay.salutation and _HOME_SECRETARY_RE.search(t, 0, lay.header_end))


def _doc_type(lay: _Layout) -> DocType:
    if _to_home_secretary(lay):
        return DocType.letter_home_secretary
    if _is_board_paper(lay):
        return DocType.board_paper
    if lay.salutation and _VALEDICTION_RE.search(lay.text, lay.salutation.end()):
        return DocType.letter
    if _COMMENTS_HEADING_RE.search(lay.text):
        return DocType.published_comments
    if lay.salutation:
        return DocType.letter
    return DocType.other


# --------------------------------------------------------------------------- authors


def _role_matches(s: str) -> list[re.Match[str]]:
    return [m for m in _ROLE_RE.finditer(s) if not m.group("possessive")]


def _role_of(m: re.Match[str]) -> AuthorRole:
    pcc = m.group("pcc")
    # London's Deputy Mayor for Policing and Crime holds the PCC's powers; other deputies
    # and assistants do not hold the office they are deputy to.
    if m.group("rank") and not (pcc and "mayor" in pcc.lower()):
        return AuthorRole.other
    return AuthorRole.pcc if pcc else AuthorRole.chief_constable


def _name_in(s: str, *, whole: bool) -> str | None:
    """A person's name in `s`: at its start followed only by post-nominals when `whole`,
    else anywhere."""
    s = s.strip(" ,:;-–|")
    if not whole:  # "Detective Chief Superintendent Sam Ryder": the name follows the rank
        s = _NOT_NAME_RE.sub(",", s)
    matches = [_NAME_RE.match(s)] if whole else list(_NAME_RE.finditer(s))
    for m in matches:
        if not m:
            continue
        words = {w.lower().strip(".") for w in m.group(0).split()}
        if words & _NOT_NAME_WORDS or find_forces(m.group(0)) or _ROLE_RE.search(m.group(0)):
            continue
        if whole and not _POSTNOMINALS_RE.match(s[m.end() :]):
            continue
        return re.sub(r"\s+", " ", m.group(0))
    return None


def _author_from_signature(t: str, span: tuple[int, int]) -> tuple[str | None, AuthorRole | None]:
    start, end = span
    block = t[start:end]
    roles = _role_matches(block)
    if not roles:
        lines = _lines(t, start, end)
        return (_name_in(lines[0][1], whole=True) if lines else None), None
    role = roles[0]
    line_start = block.rfind("\n", 0, role.start()) + 1
    line_end = block.find("\n", role.end())
    line_end = len(block) if line_end < 0 else line_end
    # "Jeff Cuthbert B.Sc., MCIPD Police and Crime Commissioner for Gwent"
    name = _name_in(block[line_start : role.start()], whole=True)
    # "Police and Crime Commissioner for Gwent: Jeff Cuthbert"
    if not name:
        tail = re.sub(r"^[^:,\n]*[:,]", "", block[role.end() : line_end], count=1)
        if tail != block[role.end() : line_end]:
            name = _name_in(tail, whole=True)
    # "Jason Ablewhite" on the line(s) above "Cambridgeshire Police and Crime Commissioner"
    if not name:
        for _, line in reversed(_lines(block, 0, line_start)[-3:]):
            if name := _name_in(line, whole=True):
                break
    return name, _role_of(role)


def _author_from_field(value: str) -> tuple[str | None, AuthorRole | None]:
    roles = _role_matches(value)
    role = _role_of(roles[0]) if roles else AuthorRole.other
    rest = _ROLE_RE.sub(" , ", value)
    return _name_in(rest, whole=False), role


def _find_author(lay: _Layout, doc_type: DocType) -> tuple[str | None, AuthorRole | None]:
    t = lay.text
    if doc_type == DocType.board_paper or "from" in lay.fields:
        for key in ("from", "presented by", "report of", "report by", "author"):
            if key in lay.fields:
                return _author_from_field(lay.fields[key])
    name, role = (None, None)
    if lay.signature:
        name, role = _author_from_signature(t, lay.signature)
    if name and role:
        return name, role
    # The letterhead: "Police and Crime Commissioner for Gwent: Jeff Cuthbert".
    head = t[: lay.header_end] if lay.salutation else t[:_TOP]
    for m in _role_matches(head):
        line_end = head.find("\n", m.end())
        after = head[m.end() : len(head) if line_end < 0 else line_end]
        named = re.match(r"^[^:\n]{0,40}:\s*(.*)$", after)
        head_name = _name_in(named.group(1), whole=True) if named else None
        if head_name and (not name or name == head_name):
            return head_name, role or _role_of(m)
        if not role and not name and re.search(r"office\s+of\s+(?:the\s+)?$", head[: m.start()], re.I):
            role = _role_of(m)
    if not role and doc_type == DocType.published_comments:
        # Comments under one heading only ("Chief Constable's comments") are that office's.
        whos = {_heading_role(m.group("who")) for m in _COMMENTS_HEADING_RE.finditer(t)}
        if len(whos) == 1:
            role = whos.pop()
    return name, role


def _heading_role(who: str) -> AuthorRole:
    return AuthorRole.chief_constable if "constable" in who.lower() else AuthorRole.pcc


# ----------------------------------------------------------------------------- force


def _force_mentions(t: str) -> list[tuple[str, int, int]]:
    found = find_forces(t)
    seen = {start for _, start, _ in found} | {end for _, _, end in found}
    for m in _WELSH_AREAS_RE.finditer(t):
        area = " ".join(m.group(1).split()).lower()
        force = _WELSH_AREAS.get(area) or normalise_force(area)
        if force and m.end(1) not in seen:  # "Heddlu Gwent" is already one of forces.py's
            found.append((force, m.start(1), m.end(1)))
    return found


def _find_force(lay: _Layout) -> str | None:
    """The author's force: mentions weighed by where they stand. The signature and the
    letterhead count most; a force named as the subject ("an inspection of Sussex Police")
    counts for nothing."""
    t = lay.text
    scores: dict[str, float] = {}
    first: dict[str, int] = {}
    for force, start, end in _force_mentions(t):
        subject = _SUBJECT_BEFORE_RE.search(t, max(0, start - 40), start) or _SUBJECT_AFTER_RE.match(t[end : end + 40])
        if subject:
            continue
        if lay.signature and lay.signature[0] <= start < lay.signature[1]:
            weight = 8.0
        elif start < lay.header_end or start < lay.fields_end:
            weight = 4.0
        else:
            weight = 1.0
        scores[force] = scores.get(force, 0.0) + weight
        first.setdefault(force, start)
    if not scores:
        return None
    return max(scores, key=lambda f: (scores[f], -first[f]))


# ------------------------------------------------------------------------- recipient


def _tidy_caps(s: str) -> str:
    """ "STRATEGIC POLICING AND CRIME BOARD" -> "Strategic Policing and Crime Board"."""
    if s != s.upper():
        return s
    small = {"and", "of", "the", "for", "on", "in", "to"}
    words = s.lower().split()
    return " ".join(w if (i and w in small) else w[:1].upper() + w[1:] for i, w in enumerate(words))


def _find_recipient(lay: _Layout, doc_type: DocType) -> str | None:
    t = lay.text
    if "to" in lay.fields:
        return _tidy_caps(lay.fields["to"])
    if doc_type == DocType.board_paper:
        m = _BOARD_LINE_RE.search(t, 0, 600)
        return _tidy_caps(m.group(1).strip()) if m else None
    if doc_type == DocType.letter_home_secretary:
        hs = _HOME_SECRETARY_RE.search(t, 0, lay.header_end) if lay.salutation else None
        if hs and hs.group(0).lower().startswith("home"):
            before = t[max(0, hs.start() - 90) : hs.start()]
            who = re.search(
                rf"((?:Rt\.?\s*Hon\.?\s+)?{_HONORIFIC}?{_NAME_WORD}(?:\s+{_NAME_WORD}){{1,2}}"
                r"(?:\s+(?:KC|QC|MP|OBE|CBE|DBE))*)[\s,]*\Z",
                before,
            )
            if who and re.search(r"\b(?:MP|Rt\.?\s*Hon)\b", who.group(1)):
                return f"{' '.join(who.group(1).split())}, Home Secretary"
        return "Home Secretary"
    if lay.salutation:
        to = re.sub(r"\s+", " ", lay.salutation.group("to")).strip(" ,")
        if to and not re.fullmatch(r"(?i)(?:sir|madam|sir\s*/\s*madam|sir\s+or\s+madam|all|colleague)s?", to):
            return to
    return None


# ---------------------------------------------------------------------------- report


def _find_report(lay: _Layout) -> tuple[str, str] | None:
    """(label, how a title refers to it) for the report the document answers."""
    t = lay.text
    best: tuple[float, int, KnownReport] | None = None
    for report in KNOWN_REPORTS:
        score, first = 0.0, len(t)
        for cue in _cues(report):
            for m in cue.finditer(t):
                score += _report_weight(lay, m.start())
                first = min(first, m.start())
        if score and (best is None or (score, -first) > (best[0], -best[1])):
            best = (score, first, report)
    if best:
        return best[2].label, best[2].short
    label = _quoted_report(lay) or _subject_report(lay)
    return (label, label) if label else None


@lru_cache(maxsize=64)
def _cues(report: KnownReport) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(c, re.IGNORECASE) for c in report.cues)


def _report_weight(lay: _Layout, pos: int) -> float:
    weight = 1.0
    if any(start <= pos < end for start, end in lay.headings):
        weight *= 3
    if _RESPONSE_RE.search(lay.text, max(0, pos - 160), pos):
        weight *= 2
    return weight


def _quoted_report(lay: _Layout) -> str | None:
    """A quoted title beside "report" / "inspection": "... the HMICFRS report 'Title' ...".

    The same title quoted several times adds up; its year comes from whichever mention
    sits next to one ("its 2017 report '...'", "'...', published in July 2020")."""
    t = lay.text
    scores: dict[str, float] = {}
    first: dict[str, int] = {}
    years: dict[str, str] = {}
    titles: dict[str, str] = {}
    for m in _QUOTED_RE.finditer(t):
        title = " ".join((m.group("a") or m.group("b")).strip(" .,;:-–").split())
        if not title[:1].isupper() or len(title.split()) < 2:
            continue
        before, after = t[max(0, m.start() - 60) : m.start()], t[m.end() : m.end() + 60]
        if not _REPORT_WORD_RE.search(before + " " + after[:30]):
            continue
        key = title.lower()
        scores[key] = scores.get(key, 0.0) + _report_weight(lay, m.start())
        first.setdefault(key, m.start())
        near = _YEAR_BEFORE_RE.search(before) or _YEAR_AFTER_RE.match(after)
        if near and key not in years:
            years[key] = near.group(1)
        titles.setdefault(key, title)
    if not scores:
        return None
    key = max(scores, key=lambda k: (scores[k], -first[k]))
    return f"{titles[key]} ({years[key]})" if key in years else titles[key]


def _subject_report(lay: _Layout) -> str | None:
    """An unquoted subject line naming an inspection: "Re: HMICFRS inspection of ..."."""
    subject = lay.subject or lay.fields.get("subject") or lay.fields.get("title")
    if subject and re.search(r"\b(?:HMIC\w*|inspection|report)\b", subject, re.IGNORECASE):
        return re.sub(r"^(?:re|subject)\s*:\s*", "", subject, flags=re.IGNORECASE).strip(" .")
    return None


# ----------------------------------------------------------------------------- title


def _heading(lay: _Layout) -> str | None:
    """A board paper's own heading: its "Title:" field or the first line after the header."""
    if "title" in lay.fields:
        return lay.fields["title"]
    if not lay.fields_end:
        return None
    for _, line in _lines(lay.text, lay.fields_end, min(len(lay.text), lay.fields_end + 600))[:2]:
        if not re.match(r"^\d+(?:\.\d+)*\.?\s", line) and not _BOARD_LINE_RE.match(line):
            return line.strip(" .")
    return None


def _title(meta: DocumentMeta, lay: _Layout, report: tuple[str, str] | None) -> str:
    when = f"{meta.date.day} {meta.date:%B %Y}" if meta.date else None
    force = meta.force or ""
    role = meta.author_role.value if meta.author_role in (AuthorRole.pcc, AuthorRole.chief_constable) else ""
    who = " ".join(p for p in (force, role) if p)
    if meta.doc_type == DocType.board_paper:
        heading = _heading(lay)
        if not heading or len(heading) > 90:
            heading = f"response to {report[1]}" if report else heading and heading[:87] + "..."
        head = f"{force} board paper".strip()
        title = f"{head}: {heading}" if heading else head
        return f"{title} ({when})" if when else title
    if meta.doc_type == DocType.published_comments:
        about = f" on {report[1]}" if report else ""
        return f"{force} comments{about}".strip()
    if meta.doc_type in (DocType.letter_home_secretary, DocType.letter):
        to = "the Home Secretary" if meta.doc_type == DocType.letter_home_secretary else meta.recipient
        title = f"{who} letter" + (f" to {to}" if to else "")
        return f"{title}, {when}".strip() if when else title.strip()
    if not (force or report):
        first_line = next((line.strip() for _, line in _lines(lay.text, 0, min(len(lay.text), 400))), "")
        return first_line if 0 < len(first_line) <= 90 else "Untitled document"
    parts = [force, "document", f"on {report[1]}" if report else "", f"({when})" if when else ""]
    return " ".join(p for p in parts if p)


# ------------------------------------------------------------------------------- api


def describe(text: str) -> DocumentMeta:
    """Metadata for a document, from its text alone.

    Returns a DocumentMeta whose fields are None (or DocType.other) where the text gives
    no reliable signal; never raises on odd input.
    """
    if len(text) > _HEAD_CHARS + _TAIL_CHARS:
        # Who, when and what sit in the first pages and the last; reading only those keeps a
        # 100-page annex as cheap as a letter.
        text = text[:_HEAD_CHARS] + "\n\n" + text[-_TAIL_CHARS:]
    lay = _layout(_normalise(text))
    doc_type = _doc_type(lay)
    name, role = _find_author(lay, doc_type)
    report = _find_report(lay)
    meta = DocumentMeta(
        force=_find_force(lay),
        author_name=name,
        author_role=role,
        doc_type=doc_type,
        date=_find_date(lay),
        recipient=_find_recipient(lay, doc_type),
        report=report[0] if report else None,
    )
    title = _title(meta, lay, report)
    meta.title = title[:1].upper() + title[1:]
    return meta
