"""What kind of document it is, from its layout: one cue per kind (an email's "From:/Sent:"
header, a minutes heading or attendance list, a press release's or a web page's furniture,
the Home Secretary as addressee, a board paper's header, an action plan's RAG table, an
annual report's title, a letter's salutation and valediction), tried in a fixed order, each
returning the span that shows it so that the type can be cited. The board, meeting and Home
Secretary patterns here are also what the recipient reader looks for.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ingest.describe.layout import _VALEDICTION_RE, _Layout
from ingest.describe.text import _line_span, _lines, _Span
from ingest.types import DocType

# "Agenda item 7", or on a meeting line: "Meeting: 19 May 2020, agenda item 6"
_AGENDA_RE = re.compile(r"^[ \t]*agenda\s+item\b|\bagenda\s+item\s+(?:no\.?\s*)?\d", re.IGNORECASE | re.MULTILINE)
_BOARD_WORDS = r"(?:board|panel|committee|forum)"
_BOARD_LINE_RE = re.compile(
    # "Strategic Policing and Crime Board - public session - agenda item 7": a qualifier after a dash
    rf"^[ \t]*((?:[A-Za-z][A-Za-z&',\-]*[ \t]+|&[ \t]+){{0,6}}{_BOARD_WORDS})[ \t]*(?:[-–—][ \t][^\n]*)?$",
    re.IGNORECASE | re.MULTILINE,
)
_MEETING_RE = re.compile(r"\b(?:board|panel|committee|group|meeting|forum|executive|scrutiny)\b", re.IGNORECASE)
_BOARD_PROSE_RE = re.compile(
    r"\b(?:the\s+(?:board|panel|committee)\s+is\s+(?:asked|recommended|invited)\s+to"
    r"|purpose\s+of\s+(?:this|the)\s+(?:paper|report)"
    r"|presented\s+by\s*:)",
    re.IGNORECASE,
)
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


_MINUTES_HEAD_RE = re.compile(
    r"""
    ^[^\w\n]{0,3}
    (?:
        (?:(?:draft|confirmed|unconfirmed|approved|signed)[ ])?minutes\b   # "MINUTES of a meeting of ..."
        (?![ ]of[ ]the[ ](?:previous|last)[ ]meeting)                     # an agenda item, not minutes
      | (?:notes|record)[ ]of[ ](?:the|a|an)[ ](?:[\w-]+[ ]){0,4}?meeting\b   # "Notes of the Board meeting"
      | (?:verbatim[ ]|edited[ ])?transcript[ ]of\b                        # "Transcript of questions to ..."
    )
    (?P<rest>[^\n]*)$
    """,
    re.IGNORECASE | re.MULTILINE | re.VERBOSE,
)
_MINUTES_SIGNS_RE = re.compile(
    r"""
    ^[^\w\n]{0,3}(?i:present)\s*:?[*_]*\s*(?:$|(?=[A-Z]))      # the attendance list ("Present: A (PCC), B")
  | ^[^\w\n]{0,3}(?i:also\s+(?:attended|present)|in\s+attendance)\b
  | ^[^\w\n]{0,3}(?i:actions?)\s*:                              # "Action: the Chief Constable to report ..."
  | ^[^\w\n]{0,3}(?i:apologies)\b
  | \bRESOLVED\b                                          # a decision as minuted
    """,
    re.MULTILINE | re.VERBOSE,
)
_PRESS_STRONG_RE = re.compile(
    r"""
    ^[^\w\n]{0,3}(?:press|news|media)[ ]release\b               # its heading
  | \bfor[ ]immediate[ ]release\b                         # an embargo line
  | ^[^\w\n]{0,3}notes?[ ](?:to|for)[ ]editors?\b              # only press releases carry notes to editors
    """,
    re.IGNORECASE | re.MULTILINE | re.VERBOSE,
)
# Near the top of a web page: a trail through News ("Home > News > item") is a news item; a
# menu naming News is one sign of a release among others.
_NEWS_TRAIL_RE = re.compile(
    r"^(?:[^\n>›»]{0,40}[>›»][ ]*){1,4}?(?:latest[ ])?(?:news|press|media)\b[^\n>›»]*[>›»]",
    re.IGNORECASE | re.MULTILINE,
)
_BLOG_RE = re.compile(r"\bblog\w*[^\w>›»]*$", re.IGNORECASE)
_NEWS_MENU_RE = re.compile(r"^(?:[^\n>›»|]{0,40}[>›»|][ ]*){1,6}?(?:news|press|media)\b", re.IGNORECASE | re.MULTILINE)
_PRESS_WEAK_RE = re.compile(
    r"""
    \bmedia[ ]enquiries\b                                 # a press office contact
  | ^[^\w\n]{0,3}ends[^\w\n]{0,3}$                        # the end marker of a release
    """,
    re.IGNORECASE | re.MULTILINE | re.VERBOSE,
)
_WEB_TOP = 1500  # how far down a page's navigation stands
_WEB_RE = re.compile(
    r"""
    ^[^\w\n]{0,3}(?:page[ ])?last[ ](?:updated|modified)\b     # a page's stamp
  | ^[^\w\n]{0,3}(?:you[ ]are[ ]here[^\w\n]*|\w+[ ])?home[ ]?[>›»][^\n]*$  # a breadcrumb trail ("Intranet home ›")
  | ^[^\w\n]{0,3}skip[ ]to[ ](?:main[ ])?content\b             # page furniture
  | \bshare[ ]this[ ]page\b
    """,
    re.IGNORECASE | re.MULTILINE | re.VERBOSE,
)
_PLAN_TITLE_RE = re.compile(
    r"""
    \btracker\b                                           # "Recommendations Tracker"
  | \baction[ ]plan\b                                     # "Stalking Action Plan"
  | \b(?:improvement|delivery)[ ]plan\b
  | \brecommendations?[ ](?:log|register)\b
    """,
    re.IGNORECASE | re.VERBOSE,
)
_PLAN_SIGNS_RE = re.compile(
    r"""
    \bRAG\b                                               # a red / amber / green status column
  | \bred\W+amber\W+green\b
    """,
    re.IGNORECASE | re.VERBOSE,
)
# The head of a table of actions (a line with cells): "| Ref | Action | Owner | Due date |".
_TABLE_HEAD_RE = re.compile(r"\b(?:owner|due\s+date|deadline|status|lead)\b", re.IGNORECASE)
_ANNUAL_RE = re.compile(
    r"^[^\n]{0,60}\b(?:annual\s+report|adroddiad\s+blynyddol)\b[^\n]{0,40}$",
    re.IGNORECASE | re.MULTILINE,
)
_EMAIL_ADDRESS_RE = re.compile(r"<?\[?(?:mailto:)?[\w.+'-]+@[\w-]+(?:\.[\w-]+)+\]?>?")


def _email_cue(lay: _Layout) -> _Span | None:
    """An email: a "From:" header line with "Sent:", or with an address and a "To:"."""
    if lay.field_names.get("from") != "from":
        return None
    addressed = "to" in lay.fields and _EMAIL_ADDRESS_RE.search(lay.fields["from"] + " " + lay.fields["to"])
    return lay.field_spans["from"] if "sent" in lay.fields or addressed else None


_MEETING_TITLE_RE = re.compile(r"^[^\w\n]{0,4}[^\n]{0,120}\bmeeting[^\w\n]*$", re.IGNORECASE | re.MULTILINE)


def _minutes_cue(lay: _Layout) -> _Span | None:
    """Minutes: headed so among the first lines, or with an attendance list, apologies and
    resolutions."""
    top = _lines(lay.text, 0, min(len(lay.text), 1000))[:6]
    m = _MINUTES_HEAD_RE.search(lay.text, 0, top[-1][0] + len(top[-1][1])) if top else None
    if m:
        return m.start(), m.end()
    signs = {s.group(0).strip().lower()[:6] for s in _MINUTES_SIGNS_RE.finditer(lay.text, 0, 6000)}
    if top and _MEETING_TITLE_RE.match(top[0][1]):
        signs.add("title")  # "# Surrey PCC: Performance and Accountability Meeting"
    if len(signs) >= 3:  # "Present:", "Apologies", "RESOLVED": minutes without the word
        board = _BOARD_LINE_RE.search(lay.text, 0, 600)
        if board:
            return board.start(1), board.end(1)
        return (top[0][0], top[0][0] + len(top[0][1])) if "title" in signs else (0, 0)
    return None


def _press_cue(lay: _Layout) -> _Span | None:
    t = lay.text
    top = min(len(t), _WEB_TOP)
    trail = _NEWS_TRAIL_RE.search(t, 0, top)
    if trail and _BLOG_RE.search(t, trail.start(), _line_span(t, trail.start())[1]):
        trail = None  # "Home > News > Chief Constable's blog": a blog post is a page, not a release
    if m := _PRESS_STRONG_RE.search(t) or trail:
        return m.start(), m.end()
    weak = [m for m in (_NEWS_MENU_RE.search(t, 0, top), *_PRESS_WEAK_RE.finditer(t)) if m]
    return (weak[0].start(), weak[0].end()) if len(weak) >= 2 else None


def _web_cue(lay: _Layout) -> _Span | None:
    m = _WEB_RE.search(lay.text)
    return (m.start(), m.end()) if m else None


def _home_secretary_cue(lay: _Layout) -> _Span | None:
    t = lay.text
    if lay.salutation and _HOME_SECRETARY_RE.search(lay.salutation.group("to") or ""):
        return lay.salutation.start(), lay.salutation.end()
    if "to" in lay.fields and _HOME_SECRETARY_RE.search(lay.fields["to"]):
        return lay.field_spans["to"]
    # The address block of a letter: "Home Secretary / Home Office / 2 Marsham Street".
    hs = _HOME_SECRETARY_RE.search(t, 0, lay.header_end) if lay.salutation else None
    return (hs.start(), hs.end()) if hs else None


def _board_cue(lay: _Layout) -> _Span | None:
    t = lay.text
    head = t[: max(lay.fields_end, 1500)]
    board = _BOARD_LINE_RE.search(t, 0, 600)
    signals = sum(
        (
            bool(_AGENDA_RE.search(head)),
            bool(board),
            bool(_BOARD_PROSE_RE.search(t)),
            lay.field_names.get("from", "from") != "from",  # "Report of:", "Presented by:"
            ("date" in lay.fields or "held" in lay.fields) and "title" in lay.fields,
        )
    )
    if "to" in lay.fields and "from" in lay.fields:
        # A memo: a paper when it goes to a meeting ("To: Business Coordination Board", or
        # "To: the Commissioner" with "For: Strategic Accountability Board").
        to = lay.fields["to"]
        paper = not _HOME_SECRETARY_RE.search(to) and bool(_MEETING_RE.search(to) or signals or "meeting" in lay.fields)
        return lay.field_spans["to"] if paper else None
    if signals >= 2 and not lay.salutation:
        return (board.start(1), board.end(1)) if board else (0, 0)
    return None


def _plan_cue(lay: _Layout) -> _Span | None:
    """A tracker or action plan: so titled, over a table or a RAG status or an export stamp
    (a letter enclosing one is a letter)."""
    t = lay.text
    if lay.salutation:
        return None
    head = _lines(t, 0, min(len(t), 600))[:5]
    title = next(((o, o + len(line)) for o, line in head if len(line) <= 120 and _PLAN_TITLE_RE.search(line)), None)
    stamped = "as_at" in lay.fields or "exported" in lay.fields
    signs = {m.group(0)[:3].lower() for m in _PLAN_SIGNS_RE.finditer(t, 0, 8000)}
    if any(
        ("|" in line or "\t" in line) and _TABLE_HEAD_RE.search(line) for _, line in _lines(t, 0, min(len(t), 8000))
    ):
        signs.add("table")
    if title and (signs or stamped):
        return title
    return (0, 0) if stamped and len(signs) >= 2 else None


def _annual_cue(lay: _Layout) -> _Span | None:
    """ "Annual Report 2019-20" among the first lines (a letter about one is a letter)."""
    if lay.salutation:
        return None
    for m in _ANNUAL_RE.finditer(lay.text, 0, min(len(lay.text), 600)):
        if len(m.group(0).split()) <= 12:
            return m.start(), m.end()
    return None


def _signed_letter_cue(lay: _Layout) -> _Span | None:
    s = lay.salutation
    return (s.start(), s.end()) if s and _VALEDICTION_RE.search(lay.text, s.end()) else None


# The statute a commissioner's comments on an inspection report are published under.
_SECTION_55_RE = re.compile(r"\bsection\s+55\s+of\s+the\s+Police\s+Act\s+1996\b", re.IGNORECASE)
_SECTION_55_TOP = 2000  # the comments say so in their opening, not in a passing reference


def _comments_cue(lay: _Layout) -> _Span | None:
    m = _COMMENTS_HEADING_RE.search(lay.text) or _SECTION_55_RE.search(lay.text, 0, _SECTION_55_TOP)
    return (m.start(), m.end()) if m else None


def _salutation_cue(lay: _Layout) -> _Span | None:
    s = lay.salutation
    return (s.start(), s.end()) if s else None


# In order: the first that holds decides. A structure the whole document has (an email's
# header, a minutes heading, a release's or a page's furniture) before the addressee, the
# addressee before layout cues, and a letter's salutation last.
_KINDS: tuple[tuple[DocType, Callable[[_Layout], _Span | None]], ...] = (
    (DocType.email, _email_cue),
    (DocType.minutes, _minutes_cue),
    (DocType.press_release, _press_cue),
    (DocType.web_page, _web_cue),
    (DocType.letter_home_secretary, _home_secretary_cue),
    (DocType.board_paper, _board_cue),
    (DocType.action_plan, _plan_cue),
    (DocType.annual_report, _annual_cue),
    (DocType.letter, _signed_letter_cue),
    (DocType.published_comments, _comments_cue),
    (DocType.letter, _salutation_cue),
)


def _classify(lay: _Layout) -> tuple[DocType, _Span | None]:
    """The kind of document and the line that shows it."""
    for doc_type, cue in _KINDS:
        span = cue(lay)
        if span is not None:
            return doc_type, span if span[1] > span[0] else None
    return DocType.other, None
