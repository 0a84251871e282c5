"""Describe a document from its text: who wrote it, for which force, to whom, when, which
board or meeting it went to, what kind of document it is and which inspection report it
answers, with the line each fact was read from.

Everything here is derived from the text alone (never the file name), with regular
expressions over a lightly normalised copy: no model, no network, deterministic, and a few
milliseconds per document. The signals are those a reader uses:

- the signature and the letterhead say who wrote. Several signature blocks are joint authors
  (`authors` holds each; `author_name` reads "Name One and Name Two" with the first one's
  role); a line "on behalf of ..." names the principal, not the signer; a Deputy PCC is
  "Deputy PCC". A paper's "Report of:" gives the office (the role), its "Author:" the person;
  an email's "From:" the writer; a press release, web page or annual report names its PCC
  in its first lines ("Thames Valley's Police and Crime Commissioner, Jonathan Ferrers, ...")
  or under a foreword. Minutes and trackers are a body's or a unit's: no person, role "other".
- header lines say what a document is: "To:/From:/Date:" a board paper, "From:/Sent:/To:" an
  email, "MINUTES of a meeting of ... held on ..." minutes, a RAG table under "Exported:" or
  "Status as at:" an action plan, "Notes to editors" a press release, "Last updated:" or a
  breadcrumb trail a web page, "Annual Report 2019-20" an annual report;
- "Dear Home Secretary" or a Home Office address says where a letter went;
- "an inspection of Sussex Police" names the *subject*, discounted when choosing the force;
- running headers and footers ("OFFICIAL - Merseyside Police - Scrutiny Board", "Page 2 of
  3", a line repeated at the top of every page) are furniture: never a title or a recipient.

Dates: a "Date:"-like header line ("Date of meeting:", "Published:", "Status as at:",
"Exported:", an email's "Sent:"), else the date of a minutes heading ("held ... on Tuesday 18
June 2019"), else a date standing alone in the letterhead or the signature, else "Last
updated:" (a web page's only date). A month alone ("Gorffennaf / July 2019", "Published July
2020") is stored as the first of the month with `date_precision` "month"; a year alone in a
date field as 1 January with "year".

Recipient and meeting: `recipient` is to whom a document is addressed (a person, an office,
the board a paper is for, an email's "To:"); `meeting` is the board, committee or panel a
paper or a tracker goes to, or whose meeting minutes record. A paper's board is both; minutes
have a meeting and no recipient; letters, emails, press releases and web pages no meeting.

`evidence` maps each field filled ("author", "role", "date", "recipient", "meeting", "force",
"doc_type") to the line of the normalised text it was read from (at most ~200 characters, tabs
as spaces), so an answer can cite the sentence that states it.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date as Date
from functools import lru_cache

from ingest.dates import MONTH_WORD, month_number
from ingest.forces import find_forces, normalise_force
from ingest.types import Author, AuthorRole, DatePrecision, DocType, DocumentMeta

__all__ = ["KNOWN_REPORTS", "KnownReport", "dates_in", "describe"]


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
# A month and a year with no day: "July 2019", a bilingual "Gorffennaf / July 2019".
_MONTH_YEAR_RE = re.compile(
    rf"(?<![\w/])(?:{MONTH_WORD}\s*[/|]\s*)?{_MONTH},?\s+(?P<year>(?:19|20)\d\d)(?![\w/-])",
    re.IGNORECASE,
)
# A year alone ("Published: 2019"); "2019-20" is a financial year, not a date.
_YEAR_RE = re.compile(r"^\W*(?P<year>(?:19|20)\d\d)\W*$")
_WEEKDAY = r"(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+)?"
# What may stand beside a letter's own date on its line.
_DATE_LINE_BEFORE_RE = re.compile(rf"^\s*(?:dated?\s*:?\s*)?{_WEEKDAY}\W{{0,2}}$", re.IGNORECASE)
_POSTCODE_BEFORE_RE = re.compile(rf"\b[A-Z]{{1,2}}\d[A-Z\d]?\s*\d[A-Z]{{2}}\W{{0,3}}(?i:{_WEEKDAY})$")
_SALUTATION_AFTER_RE = re.compile(r"^\W{0,2}(?:Dear|Annwyl)\b")

# Header lines "Key: value" near the top. One named group per meaning; the first line of a
# meaning wins, and a second "From:"/"Sent:" ends the header (an email thread quotes others).
_FIELD_KEYS = (
    "published",
    "date",
    "sent",
    "as_at",
    "exported",
    "updated",
    "to",
    "from",
    "author",
    "cc",
    "subject",
    "title",
    "agenda",
    "meeting",
    "marking",
)
_FIELD_RE = re.compile(
    r"""
    ^[ \t]*
    (?:[A-Za-z']+(?:[ ][A-Za-z']+)?[ ]?\|[ ]?)?          # a Welsh twin before a bar: "Dyddiad | Date:"
    (?:
        (?P<published>
            date[ ]published                              # when a page or a release went out
          | (?:first[ ])?published(?:[ ]on)?
          | publication[ ]date)
      | (?P<date>
            date(?:[ ]of[ ](?:meeting|report|paper|letter|issue))?   # "Date:", "Date of meeting:"
          | meeting[ ]date
          | dyddiad)                                      # Welsh "Date"
      | (?P<sent>(?:date[ ])?sent)                        # an email's date
      | (?P<as_at>(?:(?:status|position|data|progress)[ ])?as[ ]at)   # a tracker's "Status as at:"
      | (?P<exported>
            exported(?:[ ]on)?                            # a system export's stamp
          | export[ ]date
          | (?:report[ ])?generated)
      | (?P<updated>(?:page[ ])?last[ ](?:updated|modified)|updated)  # a web page's stamp
      | (?P<to>to|recipients?)                            # a memo's, a paper's or an email's addressee
      | (?P<from>
            from                                          # a memo's or an email's sender
          | report[ ](?:of|by)                            # the office a paper is from
          | presented[ ]by
          | submitted[ ]by)
      | (?P<author>
            author                                        # the person who wrote a paper
          | report[ ]author
          | written[ ]by
          | prepared[ ]by)
      | (?P<cc>cc|copy[ ]to)                              # copies: never the addressee
      | (?P<subject>subject)
      | (?P<title>(?:report[ ]|paper[ ])?title)
      | (?P<agenda>agenda[ ]item(?:[ ]no\.?)?)
      | (?P<meeting>
            meeting                                       # the body a paper goes to
          | governance                                    # the board a tracker reports to
          | (?:reporting|reports|accountable|submitted)[ ]to
          | oversight)
      | (?P<marking>
            (?:security|protective|government[ ]security)[ ](?:marking|classification)  # not a title
          | classification)
    )
    [ \t]*(?:[:|][ \t]*|\t)(?P<value>[^\n]*)$
    """,
    re.IGNORECASE | re.MULTILINE | re.VERBOSE,
)
_FIELDS_MAX = 2000  # how far down header lines may stand
# Date lines with or without a colon, anywhere: "Published July 2020", "Last updated 3 December 2019".
_DATELINE_RE = re.compile(
    r"""
    ^[^\w\n]{0,3}
    (?:
        (?P<published>
            (?:first[ ])?published                        # a publication line
          | posted
          | for[ ]immediate[ ]release)                    # a press release's date line
      | (?P<updated>(?:page[ ])?last[ ](?:updated|modified)|updated)   # a web page's stamp
    )
    (?:[ ](?:on|in))?[ \t]*:?[ \t]*(?P<value>[^\n]{4,60})$
    """,
    re.IGNORECASE | re.MULTILINE | re.VERBOSE,
)

_AGENDA_RE = re.compile(r"^[ \t]*agenda\s+item\b", re.IGNORECASE | re.MULTILINE)
_BOARD_WORDS = r"(?:board|panel|committee|forum)"
_BOARD_LINE_RE = re.compile(
    rf"^[ \t]*((?:[A-Za-z][A-Za-z&',\-]*[ \t]+|&[ \t]+){{0,6}}{_BOARD_WORDS})[ \t]*$",
    re.IGNORECASE | re.MULTILINE,
)
# A body named in running text or a field: "the Force Improvement Board (chair: ...)".
_BODY_RE = re.compile(
    r"(?:[A-Z][\w&'-]*\s+|&\s+|(?:and|of|for|the)\s+){0,7}?[A-Z][\w&'-]*\s+"
    r"(?:Board|Panel|Committee|Forum|Group|Meeting|Executive)\b"
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
    r"\b(?:yours\s+(?:sincerely|faithfully|truly)|(?:kind|best|warm)\s+regards|best\s+wishes"
    r"|yn\s+gywir|yn\s+ddiffuant)\b"
    r"|^[ \t]*regards,?[ \t]*$",  # an email's "Regards," on its own line ("with regards to" is prose)
    re.IGNORECASE | re.MULTILINE,
)
# A copy line, wherever it stands (a letter's usually follows the signature): "Cc: Wendy Williams, HMI".
_COPIED_RE = re.compile(
    r"^[ \t]*(?:cc|c\.c\.|copy\s+to|copies\s+to)\b[ \t]*[:.]?[ \t]*(?P<value>[^\n]{3,200}?)[ \t]*$"
    r"|(?<=[\s|])(?:Cc|CC):[ \t]*(?P<inline>[^\n|]{3,120}?)[ \t]*(?=\||$)",
    re.IGNORECASE | re.MULTILINE,
)
_CC_LINE_RE = re.compile(r"^[ \t]*(?:cc|c\.c\.|copy\s+to|copies\s+to|enc(?:losure)?s?|appendix)\b", re.IGNORECASE)
_INLINE_CC_RE = re.compile(r"(?<=\s)(?:cc|Cc|CC)\b:?\s")
# A line naming the principal a signer signs for: its role is not the signer's.
_ON_BEHALF_RE = re.compile(r"\bon\s+behalf\s+of\b|\bar\s+ran\b|^\W*p\.?\s?p\.?\s|\bsigned\s+for\b", re.IGNORECASE)
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

# ---------------------------------------------------------------- kinds of document

_MINUTES_HEAD_RE = re.compile(
    r"""
    ^[^\w\n]{0,3}
    (?:
        (?:(?:draft|confirmed|unconfirmed|approved|signed)[ ])?minutes\b   # "MINUTES of a meeting of ..."
        (?![ ]of[ ]the[ ](?:previous|last)[ ]meeting)                     # an agenda item, not minutes
      | (?:notes|record)[ ]of[ ](?:the|a|an)[ ](?:[\w-]+[ ]){0,4}?meeting\b   # "Notes of the Board meeting"
    )
    (?P<rest>[^\n]*)$
    """,
    re.IGNORECASE | re.MULTILINE | re.VERBOSE,
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
  | ^[^\w\n]{0,3}(?:you[ ]are[ ]here[^\w\n]*)?home[ ]?[>›»][^\n]*$  # a breadcrumb trail
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

# ----------------------------------------------------------------------- people

_ROLE_RE = re.compile(
    r"(?P<rank>(?i:deputy|assistant)\s+|(?i:dirprwy)\s+)?(?:(?i:acting|temporary|interim)\s+|T/)?"
    r"(?:(?P<pcc>(?i:police,?\s+(?:fire\s+(?:and|&)\s+|(?:and|&)\s+)crime\s+commissioner)"
    r"|(?i:[cg]omisiynydd\s+heddlu\s+a\s+throseddu)|\bPF?CC\b"
    r"|(?i:mayor\s+for\s+policing\s+and\s+crime))"
    r"|(?P<dpcc>\bDPF?CC\b)"
    r"|(?P<cc>(?i:chief\s+constable)))"
    r"(?P<possessive>'s)?"
)

_HONORIFIC = r"(?:(?:Dr|Sir|Dame|Mr|Mrs|Ms|Miss|Cllr|Councillor|Lord|Baroness|Lady|Prof|Professor)\.?\s+)"
_NAME_WORD = r"(?:Mc|Mac|O'|D')?[A-Z][a-z]+(?:[-'][A-Z]?[a-z]+)*"
_NAME_RE = re.compile(rf"{_HONORIFIC}?{_NAME_WORD}(?:[ ]+(?:[A-Z]\.?[ ]+)?{_NAME_WORD}){{1,3}}(?![\w.'-])")
# What may follow a name on a signature line: post-nominals ("B.Sc., MCIPD", "QPM", "OBE").
_POSTNOMINALS_RE = re.compile(r"^(?:[\s,;]|\(?[A-Z][A-Za-z.]*\)?)*$")
# Words that are never part of a person's name: offices, ranks, places, organisations.
_NOT_NAME_WORDS = frozenset(
    "police crime commissioner constable chief office home secretary dear yours sincerely "
    "faithfully regards headquarters force constabulary service services heddlu comisiynydd gomisiynydd "
    "throseddu dirprwy swyddfa gogledd cymru de dyfed powys board deputy assistant acting temporary report "
    "inspection recommendation response "
    "the and street road london detective superintendent inspector sergeant officer commander head "
    "acc dcc det supt insp sgt dci dcs dsi ds di "
    "audit partnership unit team department directorate council committee panel group forum executive "
    "safeguarding protection public performance insight strategic planning vulnerability vulnerable "
    "justice criminal professional standards corporate finance manager director lead governance "
    "improvement programme project policy community operations intelligence investigations policing "
    "assurance business support delivery development data quality information analyst coordinator "
    "treasurer clerk chair member members county district borough city hall house court centre "
    "news press media website page update updates summary tracker plan annual minutes".split()
)
_NOT_NAME_RE = re.compile(rf"\b(?:{'|'.join(sorted(_NOT_NAME_WORDS))})\b", re.IGNORECASE)
# Ranks and titles before a name in a field: "Detective Superintendent Joanne Rafferty", "T/DI Iain Moor".
_RANKS_RE = re.compile(
    r"^(?:(?:T/|A/)?(?:detective|det\.?|chief|superintendent|supt\.?|inspector|insp\.?|sergeant|sgt\.?"
    r"|constable|commander|cdr|acting|temporary|assistant|deputy|acc|dcc|dci|dcs|dsi|di|ds|dc|pc"
    r"|councillor|cllr)\s+)+",
    re.IGNORECASE,
)
# Where a field's value splits into parts: "Name, Job title", "Name <address>", "Name (unit)".
_PARTS_RE = re.compile(r"\s*(?:[,;(<\[]|\)|>|\]|\s[-–]\s|\t)\s*")
_EMAIL_ADDRESS_RE = re.compile(r"<?\[?(?:mailto:)?[\w.+'-]+@[\w-]+(?:\.[\w-]+)+\]?>?")
# Outlook's "Surname, Forename (Rank)".
_SURNAME_FIRST_RE = re.compile(rf"^({_NAME_WORD}),[ ]({_NAME_WORD})(?=[ ]*(?:\(|<|$))")

# A PCC named in running text: "Thames Valley's Police and Crime Commissioner, Jonathan
# Ferrers, has ...", "Police and Crime Commissioner Jonathan Ferrers said", "Katy Bourne, the
# Police and Crime Commissioner for Sussex".
_AREA = r"(?:\s+for\s+(?:the\s+)?[A-Z][\w&'-]*(?:\s+(?:and\s+|&\s+|of\s+)?[A-Z][\w&'-]*){0,4})?"
_PROSE_NAME_AFTER_RE = re.compile(rf"^{_AREA}\s*,\s*({_NAME_RE.pattern})\s*[,(]")
_PROSE_NAME_VERB_RE = re.compile(
    rf"^{_AREA}\s+({_NAME_RE.pattern})\s+(?:said|says|has|have|had|is|was|will|added|welcomed|announced|wrote)\b"
)
_PROSE_NAME_BEFORE_RE = re.compile(
    rf"({_NAME_RE.pattern}),\s+(?:the\s+)?(?:[A-Z][\w&'-]*\s+){{0,4}}(?:and\s+[A-Z][\w&'-]*\s+)?\Z"
)
_COMMISSIONED_BY_RE = re.compile(r"commissioned\s+by\s+(?:the\s+)?[\w ]{0,40}\Z", re.IGNORECASE)

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

# ----------------------------------------------------------------------- furniture

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
_HEAD_CHARS, _TAIL_CHARS = 30_000, 6_000
_HEADER_MAX = 2500  # a salutation further down than this is not the letter's opening
_TOP = 400  # how far down a letterhead may run when there is no salutation to end it
_SNIPPET = 200  # an evidence snippet longer than this is cut to its sentence, then to a window
_SENTENCE_GAP_RE = re.compile(r"(?<=[.!?])[\s\"')]+(?=[A-Z0-9\"'(])")


# ------------------------------------------------------------------------ normalising


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
        b = min(le, max(a + _SNIPPET, end))
        if a > ls:
            space = t.find(" ", a, start)
            a = space + 1 if space >= 0 else a
        if b < le:
            space = t.rfind(" ", end, b)
            b = space if space >= 0 else b
        ls, le = a, b
    return " ".join(t[ls:le].split())


# ---------------------------------------------------------------------------- layout

_Span = tuple[int, int]  # a span of the normalised text: a line, a field, a match


@dataclass
class _Layout:
    """Where the parts of a document are, in the normalised text."""

    text: str
    fields: dict[str, str]  # header fields by meaning: "to", "from", "date", "title", ...
    field_spans: dict[str, tuple[int, int]]  # the line each was read from
    field_names: dict[str, str]  # each as written ("Report of", "From")
    fields_end: int
    salutation: re.Match[str] | None
    header_end: int  # letterhead and address: before the salutation
    signature: tuple[int, int] | None  # the signing block (name, role, force)
    subject: str | None  # the line after the salutation ("Re: ...")
    headings: list[tuple[int, int]]  # where a document names its own subject: title, subject line

    def field_line(self, key: str) -> str:
        start, end = self.field_spans[key]
        return _snippet(self.text, start, end)


def _scan_fields(t: str) -> tuple[dict[str, str], dict[str, tuple[int, int]], dict[str, str], int]:
    fields: dict[str, str] = {}
    spans: dict[str, tuple[int, int]] = {}
    names: dict[str, str] = {}
    end = 0
    for m in _FIELD_RE.finditer(t, 0, min(len(t), _FIELDS_MAX)):
        key = next(k for k in _FIELD_KEYS if m.group(k) is not None)
        name = " ".join(m.group(key).lower().split())
        if key in fields:
            if name in ("from", "sent") and names[key].lower() == name:
                break  # a second message header: an email thread quoting earlier mail
            continue
        value = m.group("value").strip(" .\t")
        if value:
            fields[key], spans[key], names[key], end = value, (m.start(), m.end()), name, m.end()
    return fields, spans, names, end


def _layout(t: str) -> _Layout:
    fields, spans, names, fields_end = _scan_fields(t)
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
    return _Layout(t, fields, spans, names, fields_end, salutation, header_end, signature, subject, headings)


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
        # Up to nine short lines: room for two signatories with a name, a role and a force each.
        for offset, line in _lines(t, line_end, min(len(t), line_end + 800))[:9]:
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
            while lo > max(0, i - 5) and _is_signature_line(lines[lo - 1][1]):  # two blocks: joint authors
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
        for offset, line in _lines(t, start, end):
            if found := _standalone(line):
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


_DATE_FIELDS = ("date", "published", "as_at", "exported", "sent")
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
        or _standalone_date(lay)
        or _field_date(lay, "updated")
        or _dateline(lay.text, "updated")
    )


# ------------------------------------------------------------------------- doc type


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
    if m := _PRESS_STRONG_RE.search(t) or _NEWS_TRAIL_RE.search(t, 0, top):
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
            "date" in lay.fields and "title" in lay.fields,
        )
    )
    if "to" in lay.fields and "from" in lay.fields:
        # A memo: a paper when it goes to a meeting ("To: Business Coordination Board").
        to = lay.fields["to"]
        paper = not _HOME_SECRETARY_RE.search(to) and bool(_MEETING_RE.search(to) or signals)
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


def _comments_cue(lay: _Layout) -> _Span | None:
    m = _COMMENTS_HEADING_RE.search(lay.text)
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


# --------------------------------------------------------------------------- authors


@dataclass
class _Who:
    """A writer or signatory as read: name, role, and the lines they were read from."""

    name: str | None
    role: AuthorRole | None
    name_at: _Span | None = None
    role_at: _Span | None = None


def _role_matches(s: str) -> list[re.Match[str]]:
    return [m for m in _ROLE_RE.finditer(s) if not m.group("possessive")]


def _role_of(m: re.Match[str]) -> AuthorRole:
    if m.group("dpcc"):
        return AuthorRole.deputy_pcc
    pcc = m.group("pcc")
    rank = (m.group("rank") or "").strip().lower()
    # London's Deputy Mayor for Policing and Crime holds the PCC's powers; a Deputy PCC
    # (Welsh "Dirprwy Gomisiynydd") has a role of his or her own; other deputies and
    # assistants (Deputy Chief Constable, Assistant PCC) do not hold the office they assist.
    if pcc and "mayor" in pcc.lower():
        return AuthorRole.pcc
    if pcc and rank in ("deputy", "dirprwy"):
        return AuthorRole.deputy_pcc
    if rank:
        return AuthorRole.other
    return AuthorRole.pcc if pcc else AuthorRole.chief_constable


def _office_holder(role: AuthorRole | None) -> bool:
    return role in (AuthorRole.pcc, AuthorRole.deputy_pcc, AuthorRole.chief_constable)


def _name_in(s: str) -> str | None:
    """A person's name at the start of `s`, followed only by post-nominals."""
    s = s.strip(" ,:;-–|\t")
    m = _NAME_RE.match(s)
    if not m:
        return None
    words = {w.lower().strip(".") for w in m.group(0).split()}
    if words & _NOT_NAME_WORDS or find_forces(m.group(0)) or _ROLE_RE.search(m.group(0)):
        return None
    if not _POSTNOMINALS_RE.match(s[m.end() :]):
        return None
    return re.sub(r"\s+", " ", m.group(0))


def _name_in_field(value: str) -> str | None:
    """The person a header field names: "Detective Superintendent Joanne Rafferty, Head of
    Public Protection", "Blakemore, Joanna (Det Supt) <j.b@...>", "Chief Constable Dave Thompson"."""
    value = _SURNAME_FIRST_RE.sub(r"\2 \1", value.strip())
    for part in _PARTS_RE.split(_ROLE_RE.sub(",", value)):
        if name := _name_in(_RANKS_RE.sub("", part.strip())):
            return name
    return None


def _name_from_address(value: str) -> str | None:
    """ "joanna.blakemore@force.police.uk" -> "Joanna Blakemore"."""
    m = re.search(r"\b([a-z]{2,})\.([a-z]{2,}(?:-[a-z]{2,})?)@", value, re.IGNORECASE)
    return f"{m.group(1).capitalize()} {m.group(2).title()}" if m else None


def _author_from_field(value: str) -> tuple[str | None, AuthorRole]:
    roles = _role_matches(value)
    return _name_in_field(value), _role_of(roles[0]) if roles else AuthorRole.other


def _columns(lines: list[tuple[int, str]]) -> list[list[tuple[int, str]]]:
    """Signature blocks side by side ("Name One<TAB>Name Two") as one column each."""
    if not any("\t" in line for _, line in lines):
        return [lines]
    columns: list[list[tuple[int, str]]] = []
    for offset, line in lines:
        pos = 0
        for i, cell in enumerate(line.split("\t")):
            while len(columns) <= i:
                columns.append([])
            if cell.strip():
                columns[i].append((offset + pos, cell))
            pos += len(cell) + 1
    return columns


def _name_beside(lines: list[tuple[int, str]], i: int, m: re.Match[str], floor: int) -> tuple[str | None, _Span | None]:
    """The name that goes with the role `m` on line i: before it on the line ("Jeff Cuthbert
    B.Sc. Police and Crime Commissioner"), after it ("... for Gwent: Jeff Cuthbert", "Chief
    Constable Rachel Dunmore"), or alone on a line above (not above the previous role's line)."""
    offset, line = lines[i]
    after = line[m.end() :]
    tail = re.sub(r"^[^:,\n]*[:,]", "", after, count=1)
    for candidate in (line[: m.start()], tail if tail != after else "", after):
        if candidate and (name := _name_in(candidate)):
            return name, (offset, offset + len(line))
    for j in range(i - 1, max(floor, i - 4), -1):
        if name := _name_in(lines[j][1]):
            return name, (lines[j][0], lines[j][0] + len(lines[j][1]))
    return None, None


def _signers_in(lines: list[tuple[int, str]]) -> list[_Who]:
    found: list[_Who] = []
    last_role = -1
    for i, (offset, line) in enumerate(lines):
        roles = _role_matches(line)
        if not roles:
            continue
        name, at = _name_beside(lines, i, roles[0], last_role)
        found.append(_Who(name, _role_of(roles[0]), at, (offset, offset + len(line))))
        last_role = i
    return found


def _signers(t: str, span: _Span) -> list[_Who]:
    """Who signed the block t[span]: each named role is one signatory (two blocks: joint
    authors); a line "on behalf of ..." names the principal, not a signer."""
    lines = [(o, line) for o, line in _lines(t, *span) if not _ON_BEHALF_RE.search(line)]
    found = [who for column in _columns(lines) for who in _signers_in(column)]
    named: list[_Who] = []
    for who in found:
        if who.name and all(who.name.lower() != n.name.lower() for n in named if n.name):
            named.append(who)
    if named:
        return named
    if found:
        return found[:1]
    first = lines[0] if lines else None
    name = _name_in(first[1]) if first else None
    return [_Who(name, None, (first[0], first[0] + len(first[1])))] if first and name else []


def _field_authors(lay: _Layout) -> list[_Who]:
    """A paper's header: "Report of:"/"From:"/"Presented by:" give the office (and maybe the
    person), "Author:" the person who wrote it for that office."""
    who = _Who(None, None)
    if "from" in lay.fields:
        name, role = _author_from_field(lay.fields["from"])
        who = _Who(name, role, lay.field_spans["from"] if name else None, lay.field_spans["from"])
    if "author" in lay.fields:
        name, role = _author_from_field(lay.fields["author"])
        if not who.name and name:
            who.name, who.name_at = name, lay.field_spans["author"]
        if not _office_holder(who.role) and (_office_holder(role) or who.role is None):
            who.role, who.role_at = role, lay.field_spans["author"]
    return [who]


def _email_authors(lay: _Layout) -> list[_Who]:
    """An email's "From:" names the writer; its signature may give the office."""
    value = lay.fields.get("from", "")
    at = lay.field_spans.get("from")
    name, role = _author_from_field(value)
    who = _Who(name, role, at if name else None, at)
    signed = _signers(lay.text, lay.signature) if lay.signature else []
    if signed and not who.name and signed[0].name:
        who.name, who.name_at = signed[0].name, signed[0].name_at
    if signed and not _office_holder(who.role) and _office_holder(signed[0].role):
        who.role, who.role_at = signed[0].role, signed[0].role_at
    if not who.name and (name := _name_from_address(value)):
        who.name, who.name_at = name, at
    return [who]


def _letterhead_author(lay: _Layout, name: str | None, role: AuthorRole | None) -> _Who | None:
    """ "Police and Crime Commissioner for Gwent: Jeff Cuthbert" in the letterhead, or the
    role alone in "Office of the Police and Crime Commissioner"."""
    t = lay.text
    head = t[: lay.header_end] if lay.salutation else t[:_TOP]
    for m in _role_matches(head):
        line_start, line_end = _line_span(head, m.end())
        named = re.match(r"^[^:\n]{0,40}:\s*(.*)$", head[m.end() : line_end])
        head_name = _name_in(named.group(1)) if named else None
        if head_name and (not name or name == head_name):
            return _Who(head_name, role or _role_of(m), (line_start, line_end), (line_start, line_end))
        if not role and not name and re.search(r"office\s+of\s+(?:the\s+)?$", head[: m.start()], re.I):
            return _Who(None, _role_of(m), None, (line_start, line_end))
    return None


def _line_above(t: str, start: int) -> list[tuple[int, str]]:
    """The non-empty line above the line starting at `start`, if any."""
    end = len(t[:start].rstrip("\n"))
    if end <= 0:
        return []
    ls, le = _line_span(t, end - 1)
    return [(ls, t[ls:le])]


def _block_author(t: str) -> _Who | None:
    """A name over a role anywhere in the first pages: a foreword or a statement signed
    "Carys Bevan-Lloyd / Police and Crime Commissioner for South Wales"."""
    for m in _ROLE_RE.finditer(t, 0, min(len(t), 12_000)):
        start, end = _line_span(t, m.start())
        line = t[start:end]
        if m.group("possessive") or not _is_signature_line(line) or _ON_BEHALF_RE.search(line):
            continue
        if _CC_LINE_RE.match(line) or not _office_holder(_role_of(m)):
            continue
        lines = [*_line_above(t, start), (start, line)]
        in_line = _ROLE_RE.match(line, m.start() - start)
        name, at = _name_beside(lines, len(lines) - 1, in_line, -1) if in_line else (None, None)
        if name:
            return _Who(name, _role_of(m), at, (start, end))
    return None


def _prose_author(t: str, force: str | None) -> _Who | None:
    """The PCC a release, page or report introduces in its first paragraphs: "Thames Valley's
    Police and Crime Commissioner, Jonathan Ferrers, has ..."; not one "for" another force,
    nor the PCC who commissioned the inspection."""
    for m in _ROLE_RE.finditer(t, 0, min(len(t), 3000)):
        role = _role_of(m)
        if m.group("possessive") or not _office_holder(role):
            continue
        if _COMMISSIONED_BY_RE.search(t, max(0, m.start() - 60), m.start()):
            continue
        after = t[m.end() : m.end() + 120]
        before = t[max(0, m.start() - 80) : m.start()]
        found = _PROSE_NAME_AFTER_RE.match(after) or _PROSE_NAME_VERB_RE.match(after)
        area = after[: found.start(1)] if found else ""
        if not found and (back := _PROSE_NAME_BEFORE_RE.search(before)):
            found, area = back, before[back.end(1) :]
        if not found or (force and any(f != force for f, _, _ in find_forces(area))):
            continue
        name = _name_in(found.group(1))
        if name:
            line = _line_span(t, m.start())
            return _Who(name, role, line, line)
    return None


_PROSE_AUTHORED = (DocType.press_release, DocType.web_page, DocType.annual_report)


def _find_authors(lay: _Layout, doc_type: DocType, cue: _Span | None, force: str | None) -> list[_Who]:
    """The writers, by layout; an empty list when the text names none."""
    if doc_type == DocType.minutes:
        return [_Who(None, AuthorRole.other, None, cue)]  # the meeting's record, not a person's
    if doc_type == DocType.email:
        return _email_authors(lay)
    if "from" in lay.fields or "author" in lay.fields:
        return _field_authors(lay)
    if doc_type == DocType.action_plan:
        stamp = lay.field_spans.get("exported") or lay.field_spans.get("as_at")
        return [_Who(None, AuthorRole.other, None, stamp)]  # a unit's export, not a person's
    signed = _signers(lay.text, lay.signature) if lay.signature else []
    first = signed[0] if signed else _Who(None, None)
    if first.name and first.role:
        return signed
    if head := _letterhead_author(lay, first.name, first.role):
        return [head]
    if not first.name and doc_type in (*_PROSE_AUTHORED, DocType.published_comments, DocType.other):
        found = _block_author(lay.text) or (_prose_author(lay.text, force) if doc_type in _PROSE_AUTHORED else None)
        if found:
            return [found]
    if not first.role and doc_type == DocType.published_comments:
        # Comments under one heading only ("Chief Constable's comments") are that office's.
        heads = [m for m in _COMMENTS_HEADING_RE.finditer(lay.text)]
        if len({_heading_role(m.group("who")) for m in heads}) == 1:
            first.role, first.role_at = _heading_role(heads[0].group("who")), (heads[0].start(), heads[0].end())
    return signed if signed else ([first] if first.name or first.role else [])


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


def _find_force(lay: _Layout) -> tuple[str, _Span] | None:
    """The author's force and the mention that weighed most: mentions count by where they
    stand (the signature and the letterhead most); a force named as the subject ("an
    inspection of Sussex Police") counts for nothing."""
    t = lay.text
    scores: dict[str, float] = {}
    first: dict[str, int] = {}
    best: dict[str, tuple[float, _Span]] = {}  # force -> its strongest mention
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
        if force not in best or weight > best[force][0]:
            best[force] = (weight, (start, end))
    if not scores:
        return None
    force = max(scores, key=lambda f: (scores[f], -first[f]))
    return force, best[force][1]


# ------------------------------------------------------------------- recipient, meeting


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
    if doc_type == DocType.action_plan:
        # "Prepared for the Force Improvement Board", "RAG status report to the Vulnerability Board"
        m = re.search(rf"\b(?:for|to)\s+(?:the\s+)?({_BODY_RE.pattern})", t[: max(lay.fields_end, 1500)])
        if m:
            return _tidy_caps(" ".join(m.group(1).split())), (m.start(1), m.end(1))
    return None


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


def _when(meta: DocumentMeta) -> str | None:
    if not meta.date:
        return None
    if meta.date_precision == "year":
        return str(meta.date.year)
    if meta.date_precision == "month":
        return f"{meta.date:%B %Y}"
    return f"{meta.date.day} {meta.date:%B %Y}"


def _numbered(line: str) -> bool:
    return bool(re.match(r"^\d+(?:\.\d+)*\.?\s", line))


def _heading(lay: _Layout) -> str | None:
    """A board paper's own heading: its "Title:" field or the first line after the header (a
    heading in capitals wrapped onto a second line is joined)."""
    if "title" in lay.fields:
        return lay.fields["title"]
    if not lay.fields_end:
        return None
    lines = [line for _, line in _lines(lay.text, lay.fields_end, min(len(lay.text), lay.fields_end + 600))[:3]]
    for i, line in enumerate(lines[:2]):
        if _numbered(line) or _BOARD_LINE_RE.match(line):
            continue
        heading = line.strip(" .")
        if heading.isupper() and i + 1 < len(lines) and lines[i + 1].isupper() and not _numbered(lines[i + 1]):
            heading = f"{heading} {lines[i + 1].strip(' .')}"
        return " ".join(heading.split())
    return None


def _page_heading(lay: _Layout) -> str | None:
    """The first line that reads as a title: not a breadcrumb, a header field or a date."""
    for _, line in _lines(lay.text, 0, min(len(lay.text), 1500))[:8]:
        if re.search(r"[>›»]", line) or _FIELD_RE.match(line) or _DATELINE_RE.match(line) or _parse_when(line):
            continue  # a breadcrumb, a header field, a date
        if _WEB_RE.match(line) or _PRESS_STRONG_RE.match(line):
            continue  # "Skip to main content", "PRESS RELEASE"
        if len(line) <= 120:
            return " ".join(line.strip(" .").split())
    return None


def _who(meta: DocumentMeta) -> str:
    force = meta.force or ""
    roles = [a.role.value for a in meta.authors if a.role and _office_holder(a.role)]
    return " ".join(p for p in (force, " and ".join(dict.fromkeys(roles))) if p)


def _titled(kind: str, heading: str | None, when: str | None) -> str:
    title = f"{kind}: {heading}" if heading else kind
    return f"{title} ({when})" if when else title


def _title(meta: DocumentMeta, lay: _Layout, report: tuple[str, str] | None, cue: _Span | None) -> str:
    when = _when(meta)
    force = meta.force or ""
    if meta.doc_type == DocType.board_paper:
        heading = _heading(lay)
        if not heading or len(heading) > 90:
            heading = f"response to {report[1]}" if report else heading and heading[:87] + "..."
        return _titled(f"{force} board paper".strip(), heading, when)
    if meta.doc_type == DocType.minutes:
        title = f"Minutes of the {meta.meeting}" if meta.meeting else f"{force} minutes".strip()
        return f"{title}, {when}" if when else title
    if meta.doc_type == DocType.annual_report and cue:
        return _titled(f"{_who(meta)} annual report".strip(), _tidy_caps(lay.text[cue[0] : cue[1]].strip()), when)
    if meta.doc_type == DocType.action_plan and cue:
        return _titled(f"{force} action plan".strip(), " ".join(lay.text[cue[0] : cue[1]].split()), when)
    if meta.doc_type in (DocType.press_release, DocType.web_page, DocType.action_plan, DocType.annual_report):
        return _titled(f"{force} {meta.doc_type.value}".strip(), _page_heading(lay), when)
    if meta.doc_type == DocType.email:
        title = " ".join(p for p in ("Email", f"from {meta.author_name}" if meta.author_name else "") if p)
        title += f" to {meta.recipient}" if meta.recipient else ""
        title += f": {lay.fields['subject']}" if "subject" in lay.fields else ""
        return f"{title}, {when}" if when else title
    if meta.doc_type == DocType.published_comments:
        about = f" on {report[1]}" if report else ""
        return f"{force} comments{about}".strip()
    if meta.doc_type in (DocType.letter_home_secretary, DocType.letter):
        to = "the Home Secretary" if meta.doc_type == DocType.letter_home_secretary else meta.recipient
        title = f"{_who(meta)} letter" + (f" to {to}" if to else "")
        return f"{title}, {when}".strip() if when else title.strip()
    if not (force or report):
        first_line = next((line.strip() for _, line in _lines(lay.text, 0, min(len(lay.text), 400))), "")
        return first_line if 0 < len(first_line) <= 90 else "Untitled document"
    parts = [force, "document", f"on {report[1]}" if report else "", f"({when})" if when else ""]
    return " ".join(p for p in parts if p)


def _find_copied(t: str) -> tuple[str, _Span] | None:
    """Who a document was copied to, from its "Cc:" line, and that line."""
    m = _COPIED_RE.search(t)
    if m is None:
        return None
    value = " ".join((m.group("value") or m.group("inline") or "").split()).strip(" ,;.")
    return (value, (m.start(), m.end())) if value else None


# ------------------------------------------------------------------------------- api


def describe(text: str) -> DocumentMeta:
    """Metadata for a document, from its text alone.

    Returns a DocumentMeta whose fields are None (or DocType.other) where the text gives
    no reliable signal, and whose `evidence` holds the line each filled field was read
    from; never raises on odd input.
    """
    if len(text) > _HEAD_CHARS + _TAIL_CHARS:
        # Who, when and what sit in the first pages and the last; reading only those keeps a
        # 100-page annex as cheap as a letter.
        text = text[:_HEAD_CHARS] + "\n\n" + text[-_TAIL_CHARS:]
    lay = _layout(_normalise(text))
    t = lay.text
    evidence: dict[str, str] = {}

    def note(key: str, span: _Span | None) -> None:
        if span and span[1] > span[0]:
            evidence[key] = _snippet(t, *span)

    doc_type, cue = _classify(lay)
    note("doc_type", cue)
    force = _find_force(lay)
    writers = _find_authors(lay, doc_type, cue, force[0] if force else None)
    # The force is best shown by the writer's role line when it names it ("Police and Crime
    # Commissioner for South Wales"), else by its weightiest mention.
    role_at = writers[0].role_at if writers else None
    named_there = role_at and force and any(f == force[0] for f, _, _ in _force_mentions(t[slice(*role_at)]))
    note("force", role_at if named_there else force[1] if force else None)
    authors = [
        Author(name=w.name, role=w.role, evidence=_snippet(t, *(w.name_at or w.role_at or (0, 0)))) for w in writers
    ]
    if writers:
        note("author", writers[0].name_at if writers[0].name else None)
        note("role", writers[0].role_at if writers[0].role else None)
    named = [w.name for w in writers if w.name]
    when = _find_date(lay, doc_type, cue)
    if when:
        evidence["date"] = when[2]
    meeting = _find_meeting(lay, doc_type, cue)
    note("meeting", meeting[1] if meeting else None)
    recipient = _find_recipient(lay, doc_type, meeting)
    note("recipient", recipient[1] if recipient else None)
    report = _find_report(lay)
    copied = _find_copied(t)
    note("copied", copied[1] if copied else None)
    meta = DocumentMeta(
        force=force[0] if force else None,
        author_name=" and ".join(named) if len(named) > 1 else (writers[0].name if writers else None),
        author_role=writers[0].role if writers else None,
        authors=authors,
        doc_type=doc_type,
        date=when[0] if when else None,
        date_precision=when[1] if when else "day",
        recipient=recipient[0] if recipient else None,
        copied=copied[0] if copied else None,
        meeting=meeting[0] if meeting else None,
        report=report[0] if report else None,
        evidence=evidence,
    )
    title = _title(meta, lay, report, cue)
    meta.title = title[:1].upper() + title[1:]
    return meta
