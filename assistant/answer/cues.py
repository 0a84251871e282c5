"""Status of an action from the words of the passage that reports it: done, in progress,
planned or declined. Deterministic and explainable: each status has its cue phrases
(docs/compare.md lists them), and the passage is read clause by clause, so that in
"the Chief Constable will address the recommendations, and the force has now reviewed the
occurrences" the clause that carries the topic decides, not the first cue in the sentence.

Inside one clause the first cue decides (the main verb comes first: "plans to review how
orders are being used" is a plan), except that a refusal anywhere decides ("is not
considered necessary"), a qualifier of progress turns a completed verb into work in
progress ("has launched a pilot", "200 officers have attended so far"), and a deadline ("by
31 March 2020") says planned only when no verb of the clause says otherwise. A clause with no
cue takes the nearest cue before it in the sentence (the verb that governs a list: "This
has resulted in ..., establishment of Single Points of Contact, ..."), then the nearest
after it; a sentence with no cue at all states a fact: done.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from assistant.types import Status
from ingest.dates import MONTH_NAME

_FUTURE_DATE = rf"(?:\d{{1,2}}(?:st|nd|rd|th)?(?:<sup>\w+</sup>)?\s+)?{MONTH_NAME}\s+\d{{4}}|the end of (?:\d{{4}}|the year|{MONTH_NAME})"

# Phrases that frame a report of someone else's words ("I am reassured that", "the Chief
# Constable has assured me that"): their verbs say nothing about the action reported.
_FRAMES = re.compile(
    r"\b(?:I|we)\s+(?:am|are|was|were|have been|had been|feel|remain)\s+(?:\w+\s+)?"
    r"(?:reassured|assured|pleased|delighted|encouraged|informed|advised|told|satisfied|aware|writing|glad)"
    r"(?:\s+to\s+(?:report|see|read|note|confirm|say|inform you))?(?:\s+(?:that|of|to you))?"
    r"|\b(?:has|have|had)\s+(?:also\s+)?(?:assured|informed|advised|told|confirmed to|reassured|updated)\s+(?:me|us|the (?:board|commissioner|pcc))(?:\s+(?:that|of))?"
    r"|\b(?:I|we)\s+(?:can\s+|would\s+like\s+to\s+)?(?:confirm|understand|note|know|believe|recognise|welcome|inform you)(?:\s+that)?"
    r"|\bI\s+(?:have\s+)?(?:asked|requested)\b",
    re.I,
)

_DECLINED = (
    r"\b(?:has|have|had)\s+decided\s+not\s+to|\bdecided\s+not\s+to|\b(?:does|do|did)\s+not\s+(?:intend|plan|propose|accept|agree)"
    r"|\bis\s+not\s+(?:considered\s+)?(?:necessary|appropriate|proportionate|required|needed)"
    r"|\bare\s+not\s+(?:considered\s+)?(?:necessary|appropriate|proportionate|required|needed)"
    r"|\bnot\s+considered\s+(?:necessary|appropriate|proportionate)"
    r"|\bwill\s+not\s+(?!delay\b)\w+|\bno\s+(?:plans?|intention)\s+to|\bdeclined?\s+to|\brejects?\b|\brejected\b"
    r"|\bnot\s+(?:be\s+)?(?:adopt(?:ed|ing)?|taken\s+forward|progressed|implement(?:ed|ing)?)\b"
)
# "This recommendation is addressed to the NPCC lead ... The Constabulary will await further
# information.": the force answers the recommendation and leaves the action to a national body.
_DEFERRAL = (
    r"^\W*(?:this|the|that)\s+(?:recommendation|area\s+for\s+improvement|afi)\s+(?:is|was)\s+(?:addressed|directed|made)\s+to\b"
    r"|\b(?:will|shall)\s+await\s+(?:further|national|the\s+outcome)|\b(?:is|are)\s+awaiting\s+(?:further|national|the\s+outcome)"
    r"|\bis\s+a\s+matter\s+for\s+(?:the\s+)?(?:NPCC|National|College|CPS|Home\s+Office)"
)
_IN_PROGRESS = (
    r"\b(?:continues|continuing)\s+to\b|\bwill\s+continue\b|\bcontinue\s+to\s+(?=\w+)(?<!to continue to )"
    r"|\b(?:is|are|was|were)\s+(?:now\s+|currently\s+|still\s+|also\s+)?being\b|\bcurrently\b|\bunder\s*way\b|\bongoing\b|\bon-going\b"
    r"|\bin\s+the\s+process\s+of\b|\b(?:is|are)\s+(?:now\s+|currently\s+|still\s+|also\s+|actively\s+)?(?!going\b|planning\b)[a-z]{3,}ing\b"
    r"|\bhas\s+(?:just\s+)?(?:begun|started|commenced)\b|\bworking\s+towards\b"
    r"|\bremains?\s+(?:in\s+progress|outstanding|open)\b|\bfurther\s+work\s+(?:is|to)\b|\bwork\s+(?:is|remains)\b"
)
# Words that make a completed verb a partial one: "has launched a pilot", "have attended so far".
_QUALIFIER = r"\bpilot(?:s|ed|ing)?\b|\bso\s+far\b|\bto\s+date\b|\bpartially\b|\bpart(?:ly)?\s+(?:complete|delivered|implemented)\b"
_PLANNED = (
    r"\bwill\s+(?!continue\b|not\b)\w+|\bshall\s+(?!not\b)\w+|\bplans?\s+to\b|\bplanning\s+to\b|\bplanned\s+(?:for|to)\b"
    r"|\bintends?\s+to\b|\bintention\s+is\b|\b(?:is|are)\s+(?:due|scheduled|expected|going|set)\s+to\b|\bscheduled\s+for\b"
    r"|\baims?\s+to\b|\bproposes?\s+to\b|\bproposed\b|\bwould\s+(?:like|wish)\s+to\b|\bin\s+the\s+next\s+\w+"
    r"|\bonce\s+(?:the\s+)?\w+|\bsubject\s+to\b|\bto\s+be\s+(?:introduced|delivered|created|commissioned|published|established|appointed)\b"
)
# A deadline ("by 31 March 2020") says planned only when no verb in the clause says otherwise:
# "by March 2019 all officers had been trained" is done.
_DEADLINE = rf"\b(?:by|before)\s+(?:{_FUTURE_DATE})"
_DONE = (
    r"\b(?:has|have|had)\s+(?:now\s+|also\s+|already\s+|recently\s+|since\s+|successfully\s+|just\s+)?(?:been\s+)?"
    r"(?!decided\s+not)(?:[a-z]+ed|[a-z]+en|built|held|met|put|set|sent|spent|won|brought|made|paid|taught|led|run|begun|done|seen)\b"
    r"|\b(?:was|were)\s+(?:\w+ly\s+)?(?:[a-z]+ed|[a-z]+en|set\s+up|held|built|put|made|led|run|sent|met)\b"
    r"|\b(?:has|have)\s+(?:not|no\s+longer)\s+been\s+(?:issued|used)|\bno\s+longer\b|\bnow\s+(?:has|have|holds|records|uses|sits)\b"
    r"|\b(?:complies|complied|compliant|in\s+place|in\s+post|reflects)\b"
    r"|\b(?:adopted|reviewed|established|delivered|launched|developed|introduced|appointed|completed|trained|implemented|"
    r"secured|published|held|identified|resulted|withdrew|stopped|ceased|ended|audited|funded|agreed|created|supported|"
    r"hosted|enhanced|updated|revised|commissioned|recruited)\b"
)

# Where two cues overlap, the earlier family reads the words ("has decided not to" is a refusal,
# not "has decided"); which cue decides a clause is `_decide`'s rule (module docstring).
_FAMILIES: list[tuple[Status, re.Pattern[str]]] = [
    (Status.declined, re.compile(f"{_DECLINED}|{_DEFERRAL}", re.I | re.M)),
    (Status.in_progress, re.compile(_IN_PROGRESS, re.I)),
    (Status.in_progress, re.compile(_QUALIFIER, re.I)),
    (Status.planned, re.compile(_PLANNED, re.I)),
    (Status.planned, re.compile(_DEADLINE, re.I)),
    (Status.done, re.compile(_DONE, re.I)),
]
_DEFERRAL_RE = re.compile(_DEFERRAL, re.I)

# Clause boundaries: punctuation, and the conjunctions that start a new statement.
_CLAUSE_BREAK = re.compile(r"\s*[;:,()]\s*|\s+[–—-]\s+|\s+(?:and|but|while|whilst|whereas|although|however)\s+", re.I)


@dataclass(frozen=True)
class Cue:
    """A phrase that signals a status, at `start:end` of the text it was found in."""

    status: Status
    phrase: str
    start: int
    end: int
    qualifier: bool = False  # "pilot", "so far", "by 31 March 2020": qualifies the verb, decides only alone


def _masked(text: str) -> str:
    """The text with reporting frames blanked out (same length, so offsets still hold)."""
    return _FRAMES.sub(lambda m: " " * len(m.group(0)), text)


def cues(text: str) -> list[Cue]:
    """Every status cue in `text`, in reading order (reporting frames ignored)."""
    masked = _masked(text)
    found: list[Cue] = []
    taken: list[tuple[int, int]] = []
    for status, pattern in _FAMILIES:
        for m in pattern.finditer(masked):
            if any(m.start() < b and a < m.end() for a, b in taken):
                continue  # an earlier family already read these words
            found.append(
                Cue(status, text[m.start() : m.end()], m.start(), m.end(), pattern.pattern in (_QUALIFIER, _DEADLINE))
            )
            taken.append((m.start(), m.end()))
    return sorted(found, key=lambda c: c.start)


def clauses(text: str) -> list[tuple[int, int]]:
    """Spans of the clauses of a sentence."""
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
    refusal = next((c for c in found if c.status is Status.declined), None)
    if refusal is not None:
        return refusal
    verbs = [c for c in found if not c.qualifier] or found
    first = min(verbs, key=lambda c: c.start)
    if first.status is Status.done:
        return next((c for c in found if c.qualifier and c.status is Status.in_progress), first)
    return first


def explain(text: str, weigh: Callable[[str], float] | None = None) -> Cue | None:
    """The cue that decides the status of `text`, or None when it has none (a plain fact).

    `weigh(clause)` scores how much of the topic a clause carries; the best clause is read
    first. Without it, the whole sentence is one clause."""
    found = cues(text)
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
        return before[-1]
    return min(found, key=lambda c: c.start - b)


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
_ADDRESSEE = (
    r"(?:chief constables?|chief officers|(?:all\s+|police\s+)?forces|the\s+force|police\s+and\s+crime\s+commissioners|"
    r"pccs|the\s+npcc(?:\s+lead)?(?:\s+for\s+[\w ]+?)?|the\s+national\s+police\s+chiefs'?\s+council(?:\s+\(npcc\))?"
    r"(?:\s+lead)?|the\s+college\s+of\s+policing|the\s+home\s+office|the\s+cps(?:\s+lead)?|the\s+crown\s+prosecution\s+service)"
)
_RECOMMENDATION = re.compile(
    r"^\W*(?:(?:Recommendation|Area\s+for\s+improvement|AFI)\s*\d*\s*[:.-]?\s*)?(?:Within\s+(?:one|two|three|four|six|nine|twelve|\d+)"
    r"\s+months\b|By\s+(?:\w+\s+)?\d{4},|We\s+recommend\b)"
    rf"|\b{_ADDRESSEE}\s+should\s+(?!be\s+(?:commended|congratulated|pleased))\w+"
    rf"|\brecommend(?:s|ed|ing)?\s+that\s+{_ADDRESSEE}\b",
    re.I,
)


def is_quoted_recommendation(text: str) -> bool:
    return bool(_RECOMMENDATION.search(text))


# What the inspectorate found, quoted back ("Inspectors found that ...", "... was highlighted
# as good practice in the HMICFRS hate crime inspection"): its judgement, not the force's action.
_FINDING = re.compile(
    r"\b(?:the\s+)?(?:inspection|inspectorate|inspectors?|report|HMICFRS|HMIC|HMCPSI|HMI)\s+(?:\w+\s+){0,3}?"
    r"(?:found|finds|noted|notes|concluded|highlighted|reported|praised|observed|made\s+a\s+number)\b"
    r"|\bhighlighted\s+as\s+(?:good|notable|innovative|positive)\s+practice\b",
    re.I,
)
# Sentences about the document itself or the report it answers: titles, subject lines,
# "The purpose of this paper is to update the Board on the response to the report ...".
_ABOUT_DOCUMENT = re.compile(
    r"\bthe\s+purpose\s+of\s+this\s+(?:paper|report|letter|document|update)\b|\bthis\s+(?:paper|report)\s+(?:provides|sets\s+out|updates)\b"
    r"|\bI\s+(?:write|am\s+writing)\s+(?:to\s+you\s+)?(?:in\s+response|to\s+respond)|\bmy\s+formal\s+response\b"
    r"|^\W*(?:\d+(?:\.\d+)*\.?\s+)?(?:the\s+)?(?:\w+\s+){0,2}response\s+to\s+(?:the\s+)?(?:HMICFRS|HMIC)\b"
    r"|^\W*(?:a\s+)?(?:report|update|progress\s+update)\s+on\s+the\s+response\b|^[^a-z]{40,}$",
    re.I,
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
