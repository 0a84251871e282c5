"""What a sentence can answer: a date, a count of something, a person or a body, the holder
of an office, a reason. A question's kind (understand.Intent) says which of these its answer
must contain; a sentence without it cannot be the answer, however close its words are.
"""

from __future__ import annotations

import re

from assistant.answer.terms import NEAR, stem_sequence, stems
from ingest.dates import MONTH_NAME

DATE = re.compile(
    rf"""
    \b(?:\d{{1,2}}(?:st|nd|rd|th)?(?:<sup>\w+</sup>)?\s+(?:of\s+)?)?{MONTH_NAME}\s+\d{{4}}\b   # (1st of) August 2019
    | \b{MONTH_NAME}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}\b                            # August 1, 2019
    | \b\d{{4}}-\d{{2}}-\d{{2}}\b                                                         # 2019-08-01
    | \b\d{{1,2}}/\d{{1,2}}/\d{{4}}\b                                                     # 01/08/2019
    | \b(?:in|since|by|during|from|until)\s+(?:19|20)\d\d\b                               # in 2019
    """,
    re.VERBOSE,
)
_WORD_NUMBERS = (
    "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred thousand"
)
NUMBER = re.compile(rf"\b\d[\d,.]*%?|\b(?:{'|'.join(_WORD_NUMBERS.split())})(?:-\w+)?\b", re.I)
_YEAR = re.compile(r"\b(?:19|20)\d\d(?:/\d\d)?\b")
_PARAGRAPH_NUMBER = re.compile(r"^\s*\d+(?:\.\d+)*\.?\s")
_COUNT_WINDOW = 3  # a number counts a noun that follows it within this many words ("212 frontline officers")


def has_date(text: str) -> bool:
    return bool(DATE.search(text))


def _without_dates(text: str) -> str:
    return _PARAGRAPH_NUMBER.sub(" ", _YEAR.sub(" ", DATE.sub(" ", text)))


def has_count(text: str) -> bool:
    """A number that is not part of a date, a year or a paragraph number."""
    return bool(NUMBER.search(_without_dates(text)))


_AMOUNT = re.compile(r"£\s?\d|\b\d[\d,.]*\s*(?:pounds|million|m\b|k\b)|\b(?:million|thousand)\s+pounds\b", re.I)


def counts(text: str, focus: str, before: str = "", asked: str = "") -> bool:
    """Whether `text` gives a number of the thing `focus` names ("how many stalking offences"
    is answered by "1,487 stalking offences", not by "146 victims of stalking", nor "150
    reports of breaches of restraining orders" by a question about Stalking Protection
    Orders): a number followed within a few words by the focus's head noun (its last word, or
    the word before its first "of"), or a near-synonym of it. "In 12 of those 41" counts the
    thing when this sentence or the one `before` it names the thing. "How many people did the
    advocates help?" is counted by any noun for people but the ones the question `asked`
    names otherwise: "two advocates" count who helped, not who was helped."""
    if focus == "£":  # understand.MONEY: "how much does it cost / spend ..."
        return bool(_AMOUNT.search(text))
    heads = _heads(focus)
    if heads is _PERSON_NOUNS:
        heads = heads - stems(asked)
    if not heads or heads & _ANY_COUNT:
        return has_count(text)
    words = re.findall(r"[\w%'’,.-]+", _without_dates(text))
    number_at = [i for i, w in enumerate(words) if NUMBER.fullmatch(w.strip(",.")) or NUMBER.match(w)]
    head_at = [i for i, w in enumerate(words) if stems(w) & heads]
    if _COUNT_OF_THEM.search(_without_dates(text)) and (head_at or stems(before) & heads):
        # "in 12 of those 41": a count of what this sentence or the one before named; a
        # sentence after another thing counts that thing ("one of those 19 cases")
        return True

    # a unit's name between them is one modifier: "205 Force Control Room staff"
    def gap(n: int, h: int) -> int:
        return sum(1 for w in words[n + 1 : h] if not w[:1].isupper()) + 1

    return any(h > n and gap(n, h) <= _COUNT_WINDOW for n in number_at for h in head_at)


# "In how many cases ...": a noun that counts anything the question is about.
_ANY_COUNT = frozenset(stem_sequence("cases instances occasions times examples ones"))
_COUNT_OF_THEM = re.compile(rf"(?:{NUMBER.pattern})\s+(?:out\s+)?of\s+(?:them|those|these|which)\b", re.I)


# "How many people ...": any noun for people counts them ("187 victims", "41 officers").
_PEOPLE = frozenset(stem_sequence("people persons individuals"))
_PERSON_NOUNS = frozenset(
    stem_sequence(
        "people persons individuals victims survivors women men children adults residents callers clients "
        "users families stalkers suspects offenders perpetrators officers staff detectives investigators "
        "handlers operators advocates caseworkers workers employees members colleagues specialists "
        "supervisors managers volunteers"
    )
)


def _heads(focus: str) -> frozenset[str]:
    before_of = focus.split(" of ", 1)[0].split()
    words = [w for w in (before_of[-1:] + focus.split()[-1:]) if w]
    found = {s for w in words for s in stem_sequence(w)}
    if found and found <= _PEOPLE:
        return _PERSON_NOUNS
    return frozenset(found | {n for s in found for n in NEAR.get(s, ())})


# Two capitalised words in a row that are not an office, a place, an organisation or a month.
_NOT_NAMES = frozenset(
    """Police Crime Commissioner Chief Constable Constabulary Home Secretary Office Board Force
Forces Detective Superintendent Inspector Constable Protection Public Head Assistant College Policing National
Stalking Harassment Business Coordination Trust Act Council Service Services Unit Team Room Control Management
Development Learning Working Group Integrity Data Vulnerability Action Plan Strategic Dear Yours Sincerely Rt Hon
Response Recommendation Area Improvement January February March April May June July August September October
November December Monday Tuesday Wednesday Thursday Friday The This That Within Following Professional
Practice Authorised Awareness Week Conference Headquarters Criminal Justice Inspectorate Inspectorates Living Fear
Demand Hub Coercive Controlling Behaviour Meeting Organisational Efficiency Effectiveness Marsham Street London
Domestic Abuse Lead Leads Officer Officers Information Notices Single Point Contact Welsh English Isles Scilly
Devon Cornwall Gwent Cambridgeshire Sussex Wales Her Majesty Majesty's Fire Rescue""".split()
)
_NAME = re.compile(
    r"\b([A-Z][a-z]+(?:-[A-Z][a-z]+)?)(?:\s+[A-Z]\.)?\s+((?:Mc|Mac|O')?[A-Z][a-z]{2,}(?:-[A-Z][a-z]+)?)\b"
)
_BODY = re.compile(
    r"""\b(?:Detective|Constable|Superintendent|Inspector|Sergeant|Officer|Head\ of|Commissioner|Lead|Chair
    |Director|Manager|Registrar|Team|Unit|Board|Group|Panel|Committee|Trust|Council|Service|Partnership|CPS|NPCC
    |Charity|Caseworkers?|Coordinator|Advisers?)\b""",
    re.VERBOSE,
)


def person_names(text: str) -> list[re.Match[str]]:
    return [m for m in _NAME.finditer(text) if m.group(1) not in _NOT_NAMES and m.group(2) not in _NOT_NAMES]


def has_person_name(text: str) -> bool:
    return bool(person_names(text))


def names_someone(text: str) -> bool:
    """A person, an office holder or a body: what a "who" question is answered by."""
    return has_person_name(text) or bool(_BODY.search(text))


def names_holder(text: str, office: str) -> bool:
    """Whether `text` names the person who holds `office` ("Chief Constable Helen Garside",
    "Andrew Lyndhurst, the Police and Crime Commissioner"): the office's words and a person's
    name side by side, not merely in one sentence."""
    pattern = r"\s+".join(re.escape(w) for w in office.split())
    for m in re.finditer(pattern, text, re.I):
        lo = max(0, m.start() - 60)
        near = text[lo : m.end() + 60]
        start, end = m.start() - lo, m.end() - lo
        for name in person_names(near):
            if name.end() <= start:
                gap = near[name.end() : start]
            elif name.start() >= end:
                gap = near[end : name.start()]
            else:
                continue
            if len(gap.split()) <= 4 and not re.search(r"[.;]", gap):
                return True
    return False


# The document asking itself why, then answering: "Why not? The audit was booked for April, but ..."
_ASKED_WHY = r"^\W*why(?:\s+not)?\s*\?\s*\w"
_REASON = re.compile(
    r"\b(?:because|due\s+to|owing\s+to|as\s+a\s+result\s+of|in\s+order\s+to|so\s+that|since|given\s+that"
    r"|the\s+(?:reasons?|causes?)|caused\s+by|following|until|unless|while|whereas)\b"
    # causal "as" opens its clause ("..., as the fund has closed"); "as it stands" is no reason
    r"|(?:^|[,;(]\s*)as\s+(?:it|they|the|a|we|there)\b"
    # what went otherwise than meant says why: "The audit was meant to start in March, but the team ..."
    r"|\b(?:meant|supposed|due|planned|intended|expected|scheduled|booked|set)\s+(?:to|for)\b[^.;]*,\s*but\b"
    rf"|{_ASKED_WHY}",
    re.I,
)
# "since 01/07/2019", "until 31 March 2021", "following the meeting on 4 June": a time, not a cause.
_WHEN_AFTER = re.compile(
    rf"\s+(?:the\s+\w+\s+(?:of|on|in)\s+)?(?:\d|{MONTH_NAME}\b|then\b|now\b|last\b|early\b|late\b|mid\b)", re.I
)
_TEMPORAL = frozenset(["since", "until", "following", "while"])
# "No audit has been carried out since the report was published": "since" after a perfect tense
# in its clause is a time too, and so is a "since" clause the perfect follows ("Since the Act
# came into force, the force has obtained three orders").
_PERFECT_BEFORE = re.compile(r"\b(?:has|have|had)\b[^,;:.]*$", re.I)
_PERFECT_AFTER = re.compile(
    r"[^,;:.]*,[^,;:.]*?\b(?:has|have|had)\s+(?:not\s+|now\s+|already\s+)?\w+(?:ed|en|wn|ne|t)\b", re.I
)


# A cause stated as one, not a purpose or a circumstance ("so that", "as", "while"): it answers
# a why-question even away from the sentences about the thing it explains.
_CAUSE = re.compile(
    r"\b(?:because|due\s+to|owing\s+to|as\s+a\s+result\s+of|the\s+(?:reasons?|causes?)\s+(?:is|was|are|were|for)|caused\s+by)\b"
    rf"|{_ASKED_WHY}",
    re.I,
)


def states_cause(text: str) -> bool:
    return bool(_CAUSE.search(text))


def gives_reason(text: str) -> bool:
    """Whether `text` states a cause or a purpose ("because", "due to", "so that"); "since",
    "until" and "following" before a date, and "since" after a perfect tense, say when, not
    why."""
    for m in _REASON.finditer(text):
        word = m.group(0).lower()
        if word not in _TEMPORAL:
            return True
        when = _WHEN_AFTER.match(text, m.end()) or (
            word == "since" and (_PERFECT_BEFORE.search(text, 0, m.start()) or _PERFECT_AFTER.match(text, m.end()))
        )
        if not when:
            return True
    return False
