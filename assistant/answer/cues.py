"""Status of an action from the words of the passage that reports it: done, in progress,
planned or declined. Deterministic and explainable: each status has its cue phrases
(docs/compare.md lists them), and the passage is read clause by clause, so that in
"the Chief Constable will address the recommendations, and the force has now reviewed the
occurrences" the clause that carries the topic decides, not the first cue in the sentence.

Inside one clause the first cue decides (the main verb comes first: "plans to review how
orders are being used" is a plan), except that a refusal anywhere decides ("is not
considered necessary"), a negation decides over any verb ("has not yet audited" is never
done: it is `negated`, and the judgement reads the rest of the document for what is planned),
a qualifier of progress turns a completed verb into work in progress ("has launched a pilot",
"200 officers have attended so far"), and a deadline ("by 31 March 2020") says planned only
when no verb of the clause says otherwise, and only when it is still ahead of the document's
own date (`past_deadline`: "had the training by December 2019" in a June 2020 letter is
done). A clause with no cue takes the nearest cue before it in the sentence (the verb that
governs a list: "This has resulted in ..., establishment of Single Points of Contact, ..."),
then the nearest after it; a sentence with no cue at all states a fact: done.

Table cells are clauses of their row (a tab or a "|" between them), so a tracker row's
response is read apart from the recommendation quoted in the cell before it.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from assistant.types import Status
from ingest.dates import MONTH_NAME, month_number

_FUTURE_DATE = rf"""(?:\d{{1,2}}(?:st|nd|rd|th)?(?:<sup>\w+</sup>)?\s+)?{MONTH_NAME}\s+\d{{4}}
    | \d{{1,2}}/\d{{1,2}}/\d{{4}}
    | the\ end\ of\ (?:\d{{4}}|the\ year|{MONTH_NAME})"""

# Phrases that frame a report of someone else's words: their verbs say nothing about the
# action reported.
_FRAMES = re.compile(
    r"""
    \b(?:I|we)\s+(?:am|are|was|were|have\ been|had\ been|feel|remain)\s+(?:\w+\s+)?       # "I am reassured that"
        (?:reassured|assured|pleased|delighted|encouraged|informed|advised|told|satisfied|aware|writing|glad)
        (?:\s+to\s+(?:report|see|read|note|confirm|say|inform\ you))?(?:\s+(?:that|of|to\ you))?
    # "the Chief Constable has assured me that"
    | \b(?:has|have|had)\s+(?:also\s+)?(?:assured|informed|advised|told|confirmed\ to|reassured|updated)
        \s+(?:me|us|the\ (?:board|commissioner|pcc|panel|committee))(?:\s+(?:that|of))?
    | \b(?:I|we)\s+(?:can\s+|would\s+like\s+to\s+)?(?:confirm|understand|note|know|believe|recognise|welcome
        |inform\ you)(?:\s+that)?                                                        # "I can confirm that"
    | \bI\s+(?:have\s+)?(?:asked|requested)\b                                            # "I have asked": a request
    | \b(?:confirmed|reported|said|told\ (?:the\ )?\w+)\s+that\b                          # "Whitlock confirmed that"
    | \b(?:has|have|had)\s+(?:also\s+)?agreed\s+that\b                                    # "has agreed that X will ..."
    """,
    re.I | re.VERBOSE,
)
_DECLINED = r"""
    \b(?:has|have|had)\s+decided\s+not\s+to | \bdecided\s+(?:[\w,]+\s+){0,5}?not\s+to   # a decision not to act
                                                                            # ("decided in February 2020 not to")
    | \b(?:does|do|did)\s+not\s+(?:intend|plan|propose|accept|agree)                      # "does not accept this ..."
    | \b(?:is|are)\s+not\s+(?:considered\s+)?(?:necessary|appropriate|proportionate|required|needed)
    | \bnot\s+considered\s+(?:necessary|appropriate|proportionate)
    | \bwill\s+not\s+(?!delay\b)\w+                                                      # "will not be taken forward"
    | \bno\s+(?:plans?|intention)\s+to | \bdeclined?\s+to | \brejects?\b | \brejected\b
    | \bnot\s+(?:be\s+)?(?:adopt(?:ed|ing)?|taken\s+forward|progressed|implement(?:ed|ing)?)\b
"""
# "This recommendation is addressed to the NPCC lead ... The Constabulary will await further
# information.": the force answers the recommendation and leaves the action to a national body.
_DEFERRAL = r"""
    ^\W*(?:this|the|that)\s+(?:recommendation|area\s+for\s+improvement|afi)\s+(?:is|was)\s+(?:addressed|directed|made)\s+to\b
    | \b(?:will|shall)\s+await\s+(?:the\s+|their\s+|its\s+)?(?:further|national|outcome|recommendations?|guidance)
    | \b(?:is|are)\s+awaiting\s+(?:the\s+|their\s+|its\s+)?(?:further|national|outcome|recommendations?|guidance)
    | \bis\s+a\s+matter\s+for\s+(?:the\s+)?(?:NPCC|National|College|CPS|Home\s+Office)
"""
# A practice the force says it has stopped: done (read before a negation: "notices have not been
# issued since March 2018" says they were withdrawn).
_STOPPED = r"""\b(?:has|have)\s+(?:not|no\s+longer)\s+been\s+(?:issued|used) | \bno\s+longer\b"""
# Work begun and not finished: "The audit has not finished: 140 of the 350 ... so far" (read
# before a negation; "has not completed an audit" may not have begun, and stays a negation).
_UNFINISHED = r"""
    \b(?:has|have|had|is|was)\s+not\s+(?:yet\s+)?(?:been\s+)?(?:finished|completed|concluded)\b(?!\s+(?:an?|the|its|any)\b)
    | ^\W*in\s+progress\b                                      # a tracker cell: "In progress: 140 of 350 reviewed"
"""
# Something the force says it has not done (yet): never `done`, whatever verb follows.
_NEGATED = r"""
    \b(?:has|have|had)\s+not\s+(?:yet\s+)?(?:been\s+)?\w+        # "has not yet audited", "has not been extended"
    | \b(?:has|have)\s+yet\s+to\b                                 # "has yet to audit"
    | \bno\s+(?:\w+\s+){0,10}?(?:has|have)\s+(?:yet\s+)?been            # "No audit ... has been carried out",
        \s+(?:carried\s+out|set\s+up|undertaken|done|made|held|run|built|[a-z]+ed|[a-z]+en)\b   # "... delivered"
    | \bnot\s+(?:yet\s+)?(?:started|begun|commenced)\b            # "Not started."
    | \bcannot\s+yet\b | \bnot\s+yet\b
    | \b(?:other\s+than|except(?:\s+for)?|apart\s+from|with\s+the\s+exception\s+of)\b    # "all of them other than X"
"""
_IN_PROGRESS = r"""
    \b(?:continues|continuing)\s+to\b | \bwill\s+continue\b | \bcontinue\s+to\s+(?=\w+)(?<!to\ continue\ to\ )
    | \b(?:is|are|was|were)\s+(?:now\s+|currently\s+|still\s+|also\s+)?being\b           # "is being piloted"
    | \bcurrently\b | \bunder\s*way\b | \bongoing\b | \bon-going\b | \bin\s+the\s+process\s+of\b
    | \b(?:is|are)\s+(?:now\s+|currently\s+|still\s+|also\s+|actively\s+)?(?!going\b|planning\b)[a-z]{3,}ing\b
    | \bhas\s+(?:just\s+)?(?:begun|started|commenced)\b | \bworking\s+towards\b
    | \bremains?\s+(?:in\s+progress|outstanding|open)\b | \bfurther\s+work\s+(?:is|to)\b | \bwork\s+(?:is|remains)\b
    | \b(?:is|are|still)\s+(?:still\s+)?in\s+progress\b | \bbegan\b                         # "it is still in progress"
    | \bbehind\s+(?:plan|schedule|target)\b                    # "Control room training is behind plan"
"""
# Words that make a completed verb a partial one: "has launched a pilot", "have attended so far".
_FEW = r"(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
_QUALIFIER = rf"""
    \bpilot(?:s|ed|ing)?\b | \bso\s+far\b | \bto\s+date\b | \bpartially\b
    | \bpart(?:ly)?\s+(?:complete|delivered|implemented)\b
    | ^\W*{_FEW}\s+of\s+(?:our|its|their|the)\s+{_FEW}\b   # "Two of our three SPOC posts are filled"
    | \b(?:completed|attended|reached|delivered|given|received|finished)\s+(?:by|to)\s+{_FEW}\s+(?:out\s+)?of\s+
        (?:the\s+|our\s+|its\s+|their\s+)?\d                  # "e-learning completed by 143 of 262 staff"
"""
_PLANNED = r"""
    \bwill\s+(?!continue\b|not\b)\w+ | \bshall\s+(?!not\b)\w+                            # "will commission an audit"
    | \bplans?\s+to\b | \bplanning\s+to\b | \bplanned\s+(?:for|to)\b | \bplanned\b(?!\s+and\s+delivered)
    | \bintends?\s+to\b | \bintention\s+is\b
    | \b(?:is|are)\s+(?:due|scheduled|expected|going|set)\s+to\b | \bscheduled\s+for\b | \bdue\s+(?:in|by|on)\b
    | \baims?\s+to\b | \bproposes?\s+to\b | \bproposed\b | \bwould\s+(?:like|wish)\s+to\b | \bin\s+the\s+next\s+\w+
    | \bonce\s+(?:the\s+)?\w+ | \bsubject\s+to\b | \bpreparing\s+to\b
    | \bwhat(?:'|’|\s+i)s\s+next\b | \bnext\s+steps?\s*:                   # "What's next: a multi-agency clinic"
    | \bto\s+be\s+(?:introduced|delivered|created|commissioned|published|established|appointed|designed|rolled\s+out)\b
"""
# A deadline ("by 31 March 2020") says planned only when no verb in the clause says otherwise:
# "by March 2019 all officers had been trained" is done.
_DEADLINE = rf"\b(?:by|before|from)\s+(?:{_FUTURE_DATE})"
_DONE = r"""
    \b(?:has|have|had)\s+(?:now\s+|also\s+|already\s+|recently\s+|since\s+|successfully\s+|just\s+)?(?:been\s+)?
        (?!decided\s+not)(?:[a-z]+ed|[a-z]+en|built|held|met|put|set|sent|spent|won|brought|made|paid|taught|led
        |run|begun|done|seen)\b                                                          # "has now reviewed"
    | \b(?:was|were)\s+(?:\w+ly\s+)?(?:[a-z]+ed|[a-z]+en|set\s+up|held|built|put|made|led|run|sent|met)\b
    | \bnow\s+(?:has|have|holds|records|uses|sits)\b
    | \b(?:complies|complied|compliant|in\s+place|in\s+post|reflects|(?<!\bto\ )complete|completed)\b
    | \b(?:adopted|reviewed|established|delivered|launched|developed|introduced|appointed|trained|implemented
        |secured|published|held|identified|resulted|withdrew|withdrawn|stopped|ceased|ended|audited|funded|agreed
        |created|supported|hosted|enhanced|updated|revised|commissioned|recruited|dip-sampled|signed|amended
        |examined|checked|found|tested|sampled)\b
"""
# A form's tick boxes: the ticked option says the status ("[ ] Yes  [X] Partly  [ ] Planned  [ ] No");
# the options left unticked say nothing (`_masked`).
_TICK = r"\[\s*[xX✓✔✗]\s*\]\s*"
_TICKED = {
    "ticked_done": rf"{_TICK}(?:yes|done|complete[d]?|achieved|in\s+place|fully)\b",
    "ticked_partly": rf"{_TICK}(?:partly|partially|in\s+progress|started|ongoing|under\s+way)\b",
    "ticked_planned": rf"{_TICK}(?:planned|scheduled|intended)\b",
    "ticked_no": rf"{_TICK}(?:no|not\s+(?:yet|started|done|in\s+place))\b",
}
_UNTICKED = re.compile(r"\[\s?\][ \t]*[^\[\t\n]*?(?=\t|\s{2,}|\[|$)", re.M)
_PATTERN = {
    **{family: re.compile(pattern, re.I) for family, pattern in _TICKED.items()},
    "declined": re.compile(f"{_DECLINED}|{_DEFERRAL}", re.I | re.M | re.VERBOSE),
    "stopped": re.compile(_STOPPED, re.I | re.VERBOSE),
    "unfinished": re.compile(_UNFINISHED, re.I | re.VERBOSE),
    "negated": re.compile(_NEGATED, re.I | re.VERBOSE),
    "in_progress": re.compile(_IN_PROGRESS, re.I | re.VERBOSE),
    "qualifier": re.compile(_QUALIFIER, re.I | re.VERBOSE),
    "planned": re.compile(_PLANNED, re.I | re.VERBOSE),
    "deadline": re.compile(_DEADLINE, re.I | re.VERBOSE),
    "done": re.compile(_DONE, re.I | re.VERBOSE),
}
# Where two cues overlap, the earlier family reads the words ("has decided not to" is a refusal,
# not "has decided"; "has not yet audited" a negation, not "audited"); which cue decides a
# clause is `_decide`'s rule (module docstring).
_FAMILIES: list[tuple[Status, str]] = [
    (Status.done, "ticked_done"),
    (Status.in_progress, "ticked_partly"),
    (Status.planned, "ticked_planned"),
    (Status.planned, "ticked_no"),
    (Status.declined, "declined"),
    (Status.done, "stopped"),
    (Status.in_progress, "unfinished"),
    (Status.planned, "negated"),
    (Status.in_progress, "in_progress"),
    (Status.in_progress, "qualifier"),
    (Status.planned, "planned"),
    (Status.planned, "deadline"),
    (Status.done, "done"),
]
_DEFERRAL_RE = re.compile(_DEFERRAL, re.I | re.VERBOSE)

# Clause boundaries: punctuation, table cells, and the conjunctions that start a new statement.
_CLAUSE_BREAK = re.compile(
    r"\s*[;:,()|\t]\s*|\s+[–—-]\s+|\s+(?:and|but|while|whilst|whereas|although|however|because)\s+", re.I
)


@dataclass(frozen=True)
class Cue:
    """A phrase that signals a status, at `start:end` of the text it was found in."""

    status: Status
    phrase: str
    start: int
    end: int
    qualifier: bool = False  # "pilot", "so far", "by 31 March 2020": qualifies the verb, decides only alone
    negated: bool = False  # "has not yet audited": not done; planned at most


_QUESTION = re.compile(
    r"\b(?:asked|asks|asking|wondered|to\ see|to\ check|to\ know)\s+(?:\w+\s+){0,3}?whether\b.*", re.I
)


def without_questions(text: str) -> str:
    """The text without the questions it reports ("he has asked whether the force has
    audited ..."): what is asked is not said to be so."""
    return _QUESTION.sub(" ", text)


def _masked(text: str) -> str:
    """The text with reporting frames and a form's unticked options blanked out (same length,
    so offsets still hold)."""
    blank = lambda m: " " * len(m.group(0))  # noqa: E731
    return _UNTICKED.sub(blank, _FRAMES.sub(blank, text))


@lru_cache(maxsize=1 << 14)
def cues(text: str) -> tuple[Cue, ...]:
    """Every status cue in `text`, in reading order (reporting frames ignored). Cached: the
    same sentences come back question after question, whatever the topic."""
    masked = _masked(text)
    found: list[Cue] = []
    taken: list[tuple[int, int]] = []
    for status, family in _FAMILIES:
        for m in _PATTERN[family].finditer(masked):
            if any(m.start() < b and a < m.end() for a, b in taken):
                continue  # an earlier family already read these words
            qualifier = family in ("qualifier", "deadline")
            negated = family in ("negated", "ticked_no")
            found.append(Cue(status, text[m.start() : m.end()], m.start(), m.end(), qualifier, negated))
            taken.append((m.start(), m.end()))
    return tuple(sorted(found, key=lambda c: c.start))


def clauses(text: str) -> list[tuple[int, int]]:
    """Spans of the clauses of a sentence (and of the cells of a table row)."""
    spans, prev = [], 0
    for m in _CLAUSE_BREAK.finditer(text):
        if m.start() > prev:
            spans.append((prev, m.start()))
        prev = m.end()
    if prev < len(text):
        spans.append((prev, len(text)))
    return spans or [(0, len(text))]


def _decide(found: list[Cue]) -> Cue:
    """The cue that decides one clause (module docstring)."""
    for wins in (lambda c: c.status is Status.declined, lambda c: c.negated):
        if (cue := next((c for c in found if wins(c)), None)) is not None:
            return cue
    verbs = [c for c in found if not c.qualifier] or found
    first = min(verbs, key=lambda c: c.start)
    if first.status is Status.done:
        return next((c for c in found if c.qualifier and c.status is Status.in_progress), first)
    return first


def explain(
    text: str, weigh: Callable[[str], float] | None = None, ignore: Callable[[Cue], bool] | None = None
) -> Cue | None:
    """The cue that decides the status of `text`, or None when it has none (a plain fact).

    `weigh(clause)` scores how much of the topic a clause carries; the best clause is read
    first. Without it, the whole sentence is one clause. Cues for which `ignore(cue)` holds
    are not read."""
    found = [c for c in cues(text) if not (ignore and ignore(c))]
    if not found:
        return None
    if weigh is None:
        return _decide(found)
    spans = clauses(text)
    weights = [weigh(text[a:b]) for a, b in spans]
    best = max(range(len(spans)), key=lambda i: (weights[i], -i))
    a, b = spans[best]
    inside = [c for c in found if a <= c.start < b]
    if inside:
        return _decide(inside)
    before = [c for c in found if c.end <= a]
    if before:
        # what the clause before says, as a whole: "212 of the 340 staff have now done the
        # course, so they can spot stalking" is partly done, not done
        pa, pb = next((x, y) for x, y in spans if x <= before[-1].start < y)
        return _decide([c for c in before if pa <= c.start < pb])
    # a deadline or a qualifier belongs to its own clause's verb; only a verb is borrowed
    return min([c for c in found if not c.qualifier] or found, key=lambda c: c.start - b)


def classify_status(text: str, weigh: Callable[[str], float] | None = None) -> Status:
    """The status a passage reports; `done` when it only states a fact."""
    found = explain(text, weigh)
    return found.status if found else Status.done


def cue(text: str, weigh: Callable[[str], float] | None = None) -> str | None:
    """The phrase that decided the status, to show why."""
    found = explain(text, weigh)
    return found.phrase if found else None


def is_deferral(text: str) -> bool:
    """A response that leaves a recommendation to a national body ("This recommendation is
    addressed to the NPCC lead", "The Constabulary will await further information")."""
    return bool(_DEFERRAL_RE.search(text))


# An inspectorate recommendation quoted back: what was asked of a force, not what it did.
_ADDRESSEE = r"""(?:chief\s+constables?|chief\s+officers|(?:all\s+|police\s+)?forces|the\s+force
    |police\s+and\s+crime\s+commissioners|pccs|the\s+npcc(?:\s+lead)?(?:\s+for\s+[\w\ ]+?)?
    |the\s+national\s+police\s+chiefs'?\s+council(?:\s+\(npcc\))?(?:\s+lead)?|the\s+college\s+of\s+policing
    |the\s+home\s+office|the\s+cps(?:\s+lead)?|the\s+crown\s+prosecution\s+service)"""
_RECOMMENDATION = re.compile(
    rf"""
    ^\W*(?:(?:Recommendation|Area\s+for\s+improvement|AFI)\s*\d*\s*[:.-]?\s*)?                # "Recommendation 1:"
        (?:Within\s+(?:one|two|three|four|six|nine|twelve|\d+)\s+months\b|By\s+(?:\w+\s+)?\d{{4}},|We\s+recommend\b)
    | \b{_ADDRESSEE}\s+should\s+(?!be\s+(?:commended|congratulated|pleased))\w+      # "chief constables should"
    | \brecommend(?:s|ed|ing)?\s+that\s+{_ADDRESSEE}\b                              # "recommended that forces"
    | \basked\s+(?:every|all|each)\s+(?:chief\s+constables?|forces?|pccs?)\b        # "it asked every chief constable"
    | \basked\s+(?:chief\s+constables|(?:police\s+)?forces|pccs)\s+to\b              # "asked forces to audit ..."
    """,
    re.I | re.VERBOSE,
)


def is_quoted_recommendation(text: str) -> bool:
    return bool(_RECOMMENDATION.search(text))


# What the inspectorate found, quoted back: its judgement, not the force's action.
_FINDING = re.compile(
    r"""
    \b(?:the\s+)?(?:inspection|inspectorate|inspectors?|report|HMICFRS|HMIC|HMCPSI|HMI)\s+(?:\w+\s+){0,3}?
        (?:found|finds|noted|notes|concluded|highlighted|reported|praised|observed|made\s+a\s+number)\b
    | \bhighlighted\s+as\s+(?:good|notable|innovative|positive)\s+practice\b
    """,
    re.I | re.VERBOSE,
)
# Sentences about the document itself or the report it answers: titles, subject lines,
# "The purpose of this paper is to update the Board on the response to the report ...".
_ABOUT_DOCUMENT = re.compile(
    r"""
    \bthe\s+purpose\s+of\s+this\s+(?:paper|report|letter|document|update)\b
    | \bthis\s+(?:paper|report|update|statement|document)\s+(?:provides|sets\s+out|updates|presents)\b
    | \b(?:is|are)\s+(?:asked|invited|requested)\s+to\s+(?:note|consider|approve|agree|endorse)\b  # asks its board
    | \bI\s+(?:write|am\s+writing)\s+(?:to\s+you\s+)?(?:in\s+response|to\s+respond) | \bmy\s+formal\s+response\b
    | ^\W*(?:\d+(?:\.\d+)*\.?\s+)?(?:the\s+)?(?:\w+\s+){0,2}response\s+to\s+(?:the\s+)?(?:HMICFRS|HMIC)\b
    | ^\W*(?:a\s+)?(?:report|update|progress\s+update)\s+on\s+the\s+response\b
    | ^[^a-z]{40,}$                                                                  # a title in capitals
    """,
    re.I | re.VERBOSE,
)
_INSPECTORATE_NAMED = re.compile(r"\b(?:HMICFRS|HMIC|HMCPSI)\b")
_REPORT_WORD = re.compile(r"\b(?:report|inspection|thematic)\b", re.I)


def is_inspectorate_finding(text: str) -> bool:
    return bool(_FINDING.search(text))


def is_about_the_document(text: str) -> bool:
    """A title, subject line or purpose statement: it names the topic but reports no action."""
    if _ABOUT_DOCUMENT.search(text):
        return True
    return bool(_INSPECTORATE_NAMED.search(text) and _REPORT_WORD.search(text) and not cues(text))


def reports_no_force_action(text: str) -> bool:
    """Recommendations, inspectorate findings and statements about the document: sentences
    that can name a topic without saying what the force did about it."""
    return is_quoted_recommendation(text) or is_inspectorate_finding(text) or is_about_the_document(text)


# A date as precise as a month at least: "31 March 2020", "December 2019", "31/03/2020", "31.08.2020".
_DAY_MONTH_YEAR = re.compile(
    rf"(?:(\d{{1,2}})(?:st|nd|rd|th)?\s+)?\b({MONTH_NAME})\s+(\d{{4}})\b|\b(\d{{1,2}})[./](\d{{1,2}})[./](\d{{4}})\b",
    re.I,
)


def has_specific_date(text: str) -> bool:
    """Whether `text` names a month or a day, not only a year ("from 2019" is a period)."""
    return bool(_DAY_MONTH_YEAR.search(text))


def past_deadline(cue: Cue, written: date | None) -> bool:
    """Whether `cue` is a deadline ("by December 2019") already behind the date the document
    was written: then it says when something was done, not that it is planned."""
    if cue.status is not Status.planned or not cue.qualifier or written is None:
        return False
    m = _DAY_MONTH_YEAR.search(cue.phrase)
    if m is None:
        return False
    if m.group(2):
        year, month = int(m.group(3)), month_number(m.group(2)) or 1
        day = int(m.group(1)) if m.group(1) else calendar.monthrange(year, month)[1]
    else:
        day, month, year = int(m.group(4)), int(m.group(5)), int(m.group(6))
    try:
        return date(year, month, day) < written
    except ValueError:
        return False
