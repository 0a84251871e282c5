"""To whom and where a document went: its recipient (a "To:" line, the board a paper or a
tracker goes to, the Home Secretary, or the salutation completed from the address block),
its meeting (the board, committee or panel a paper goes to or minutes record) and who it was
copied to (its "Cc:" line). Names of bodies written in capitals are tidied for display.
"""

from __future__ import annotations

import re

from ingest.describe.kinds import (
    _BOARD_LINE_RE,
    _EMAIL_ADDRESS_RE,
    _HOME_SECRETARY_RE,
    _MEETING_RE,
    _MEETING_TITLE_RE,
    _MINUTES_HEAD_RE,
)
from ingest.describe.layout import _Layout
from ingest.describe.names import _HONORIFIC, _NAME_WORD, _SURNAME_FIRST_RE, _name_in_field
from ingest.describe.text import _Span
from ingest.types import DocType

# A body named in running text or a field: "the Force Improvement Board (chair: ...)".
_BODY_RE = re.compile(
    r"(?:[A-Z][\w&'-]*\s+|&\s+|(?:and|of|for|the)\s+){0,7}?[A-Z][\w&'-]*\s+"
    r"(?:Board|Panel|Committee|Forum|Group|Meeting|Executive)\b"
)
# What follows "Minutes" before the body's name: "of a meeting of the", "of the special meeting of".
_MINUTES_OF_RE = re.compile(
    r"^[\s:,–-]*(?:of\s+)?(?:the\s+|a\s+|an\s+)?"
    r"(?:(?:special|extraordinary|ordinary|public|formal|annual|virtual|remote|informal)\s+)?"
    r"(?:(?:meeting|proceedings)\s+of\s+(?:the\s+)?)?",
    re.IGNORECASE,
)
# Where the body's name ends: "... Panel held at County Hall", "... Board meeting on 3 May".
_BODY_END_RE = re.compile(r"\s+(?:meeting\b|held\b|on\s|at\s|dated?\b)|\s*[,(;]|\s+[-–]\s", re.IGNORECASE)


def _tidy_caps(s: str) -> str:
    """ "STRATEGIC POLICING AND CRIME BOARD" -> "Strategic Policing and Crime Board"."""
    if s != s.upper():
        return s
    small = {"and", "of", "the", "for", "on", "in", "to"}
    words = s.lower().split()
    return " ".join(w if (i and w in small) else w[:1].upper() + w[1:] for i, w in enumerate(words))


def _tidy_addressee(value: str) -> str:
    """A "To:" value without e-mail addresses: "David Ferriday <d.f@x.pnn.police.uk>" -> "David Ferriday"."""
    bare = " ".join(_EMAIL_ADDRESS_RE.sub(" ", value).split()).strip(" ;,")
    return _tidy_caps(bare or value.strip(" <>;,"))


def _body_in(value: str) -> str | None:
    """The board, committee or panel a field names: "Force Improvement Board (chair: ...)"."""
    head = _BODY_END_RE.split(value, maxsplit=1)[0].strip(" .:")
    if head and _MEETING_RE.search(head) and len(head.split()) <= 10:
        return _tidy_caps(head)
    m = _BODY_RE.search(value)
    return _tidy_caps(" ".join(m.group(0).split())) if m else None


def _minutes_body(lay: _Layout, cue: _Span | None) -> tuple[str, _Span] | None:
    """ "MINUTES of a meeting of the West Mercia Police and Crime Panel held at ..." -> the Panel."""
    t = lay.text
    if cue:
        heading = _MINUTES_HEAD_RE.match(t, cue[0])
        rest = heading.group("rest") if heading else ""
        lead = _MINUTES_OF_RE.match(rest)
        rest = rest[lead.end() :] if lead else rest
        body = _BODY_END_RE.split(rest, maxsplit=1)[0].strip(" .:")
        if body and _MEETING_RE.search(body) and len(body.split()) <= 12:
            return _tidy_caps(body), cue
        if not heading and _MEETING_TITLE_RE.match(t, cue[0]):
            # "Surrey Police and Crime Commissioner: Performance and Accountability Meeting"
            name = t[cue[0] : cue[1]].rsplit(":", 1)[-1].strip(" #*")
            if name and len(name.split()) <= 8:
                return _tidy_caps(name), (cue[1] - len(name), cue[1])
    board = _BOARD_LINE_RE.search(t, 0, min(len(t), 600))
    return (_tidy_caps(board.group(1).strip()), (board.start(1), board.end(1))) if board else None


def _find_meeting(lay: _Layout, doc_type: DocType, cue: _Span | None) -> tuple[str, _Span] | None:
    """The board, committee or panel a paper or a tracker goes to, or minutes record."""
    if doc_type == DocType.minutes:
        return _minutes_body(lay, cue)
    if doc_type not in (DocType.board_paper, DocType.action_plan, DocType.other):
        return None
    for key in ("meeting", "to"):
        if key in lay.fields and (body := _body_in(lay.fields[key])):
            return body, lay.field_spans[key]
    t = lay.text
    if doc_type == DocType.board_paper and (board := _BOARD_LINE_RE.search(t, 0, min(len(t), 600))):
        return _tidy_caps(board.group(1).strip()), (board.start(1), board.end(1))
    if doc_type in (DocType.action_plan, DocType.board_paper):
        # "Prepared for the Force Improvement Board", "RAG status report to the Vulnerability Board",
        # a slide deck's "Update for the Police and Crime Commissioner's Accountability Meeting"
        m = re.search(rf"\b(?:for|to)\s+(?:the\s+)?({_BODY_RE.pattern})", t[: max(lay.fields_end, 1500)])
        if m:
            return _tidy_caps(" ".join(m.group(1).split())), (m.start(1), m.end(1))
    return None


_SENT_TO_RE = re.compile(r"(?:submitted|sent|reports?|reporting)\s+to$", re.IGNORECASE)


def _find_recipient(
    lay: _Layout, doc_type: DocType, meeting: tuple[str, _Span] | None
) -> tuple[str, _Span | None] | None:
    """To whom the document is addressed: a "To:" line, the board a paper or a tracker goes
    to, the Home Secretary, or the salutation. Minutes, releases, web pages and annual
    reports are addressed to no one in particular."""
    t = lay.text
    if doc_type in (DocType.minutes, DocType.press_release, DocType.web_page, DocType.annual_report):
        return None
    if "to" in lay.fields:
        value = lay.fields["to"]
        # an e-mail's "To: Ferriday, David (SCO) <...>" names a person, surname first
        person = _name_in_field(value) if _SURNAME_FIRST_RE.match(value.strip()) else None
        return person or _tidy_addressee(value), lay.field_spans["to"]
    if doc_type in (DocType.board_paper, DocType.action_plan):
        return meeting
    if "meeting" in lay.fields and not meeting and _SENT_TO_RE.match(lay.field_names.get("meeting", "")):
        # "Submitted to: Home Office, ... consultation": sent to a body that is no board
        return _tidy_addressee(lay.fields["meeting"]), lay.field_spans["meeting"]
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
                return f"{' '.join(who.group(1).split())}, Home Secretary", (hs.start() - len(who.group(0)), hs.end())
            return "Home Secretary", (hs.start(), hs.end())
        return "Home Secretary", (lay.salutation.start(), lay.salutation.end()) if lay.salutation else None
    if lay.salutation:
        to = re.sub(r"\s+", " ", lay.salutation.group("to")).strip(" ,")
        if to and not re.fullmatch(r"(?i)(?:sir|madam|sir\s*/\s*madam|sir\s+or\s+madam|all|colleague)s?", to):
            return _inside_address(lay, to) or (to, (lay.salutation.start(), lay.salutation.end()))
    return None


# The office an address block gives under a name ("HM Inspector of Constabulary"), not the
# organisation under that ("HM Inspectorate of Constabulary and Fire & Rescue Services").
_OFFICE_LINE_RE = re.compile(
    r"[ \t]*\n[ \t]*((?:[A-Z][\w&'’-]*|of|and|the|for)(?:[ \t]+(?:[A-Z][\w&'’-]*|of|and|the|for)){0,7})[ \t,]*$",
    re.M,
)
_OFFICE_WORD_RE = re.compile(
    r"\b(?:Inspector|Commissioner|Secretary|Minister|Director|Chair|Chairman|Chairwoman|Chief|Head|Lead|"
    r"Officer|Manager|Constable|Superintendent|Clerk|Registrar)\b"
)


def _inside_address(lay: _Layout, to: str) -> tuple[str, _Span] | None:
    """The addressee in full from the address block: "Dear Mr Kettlewell" greets by surname, and
    the block above it names "Mr Adrian Kettlewell QPM" and, under the name, the office: the
    recipient is "Adrian Kettlewell, HM Inspector of Constabulary" (honorific and post-nominals
    are how the letter greets, not who it is to)."""
    surname = to.split()[-1]
    if not re.fullmatch(_NAME_WORD, surname):
        return None
    full = re.compile(
        rf"^[ \t]*{_HONORIFIC}?({_NAME_WORD}(?:\s+{_NAME_WORD}){{0,2}}\s+{re.escape(surname)})"
        r"(?:\s+(?:KC|QC|MP|QPM|OBE|CBE|DBE|MBE))*[ \t,]*$",
        re.M,
    )
    found = list(full.finditer(lay.text, 0, lay.header_end))
    if not found:
        return None
    m = found[-1]  # the address sits just above the salutation; a letterhead name higher up is the sender
    name, end = " ".join(m.group(1).split()), m.end()
    office = _OFFICE_LINE_RE.match(lay.text, end)
    if office and _OFFICE_WORD_RE.search(office.group(1)):
        return f"{name}, {office.group(1)}", (m.start(), office.end(1))
    return name, (m.start(1), m.end(1))


# A copy line, wherever it stands (a letter's usually follows the signature): "Cc: Wendy Williams, HMI".
_COPIED_RE = re.compile(
    r"^[ \t]*(?:cc|c\.c\.|copy\s+to|copies\s+to)\b[ \t]*[:.]?[ \t]*(?P<value>[^\n]{3,200}?)[ \t]*$"
    r"|(?<=[\s|])(?:Cc|CC):[ \t]*(?P<inline>[^\n|]{3,120}?)[ \t]*(?=\||$)",
    re.IGNORECASE | re.MULTILINE,
)


def _find_copied(t: str) -> tuple[str, _Span] | None:
    """Who a document was copied to, from its "Cc:" line, and that line."""
    m = _COPIED_RE.search(t)
    if m is None:
        return None
    value = " ".join((m.group("value") or m.group("inline") or "").split()).strip(" ,;.")
    return (value, (m.start(), m.end())) if value else None
