"""Turn a question (and the conversation so far) into a standalone query: retrieval text,
filters named in the question, what kind of answer is wanted, and whether it is about forces."""

from __future__ import annotations

import re
from datetime import date
from enum import StrEnum

from pydantic import BaseModel, Field

from assistant.types import Filters, Status
from ingest.dates import MONTH_WORD, month_number
from ingest.forces import find_forces


class Intent(StrEnum):
    general = "general"
    when = "when"
    who = "who"
    how_many = "how_many"


class Query(BaseModel):
    question: str  # as asked
    text: str  # standalone retrieval text
    topic: str  # the question without its scaffolding ("which forces", force names)
    filters: Filters = Field(default_factory=Filters)
    intent: Intent = Intent.general
    about_forces: bool = False
    status: Status | None = None  # "which forces plan to ..." asks for one status
    doc_ids: list[str] = Field(default_factory=list)  # "it", "that letter": the documents cited last turn
    follow_up: bool = False
    specific: bool = True  # has content words of its own (not just "when was that?")


_ABOUT_FORCES = re.compile(
    r"\b(?:which|what|how many|list (?:the )?|name (?:the )?)\s*(?:police\s+)?(?:forces|constabular(?:y|ies)|areas|pccs|"
    r"commissioners|police services)\b|\b(?:does|do|did|has|have) any (?:police )?(?:force|constabulary|pcc)s?\b|"
    r"\beach (?:police )?(?:force|constabulary|pcc)\b|\b(?:all|any) (?:the )?forces\b|\bforces? (?:that|which|who)\b",
    re.I,
)
_WHEN = re.compile(r"^\W*(?:and\s+)?(?:when|what date|on what date|what day|which date)\b|\bdate of\b|\bdated\b", re.I)
_WHO = re.compile(
    r"^\W*(?:and\s+)?who(?:m|se)?\b|\bwhich (?:person|officer|official)\b|\bname of\b|\bwho (?:is|was)\b", re.I
)
# "how long", "how quickly": the answer is a number (of days, officers, ...); the adverb says
# which kind, so it is scaffolding, never a topic word a passage must contain
_MEASURE = r"how (?:many|much|long|quickly|soon|fast|often|frequently)"
_HOW_MANY = re.compile(rf"\b{_MEASURE}\b|\bwhat (?:number|proportion|percentage)\b", re.I)
_FOLLOW_UP = re.compile(
    r"^\W*(?:and|but|also|what about|how about|and what about|what of|and in|same for|then)\b|"
    r"\b(?:it|that|this|they|them|there|those|these|he|she|his|her|their|its)\b",
    re.I,
)
_STATUS_WORDS = [
    (Status.planned, re.compile(r"\b(?:plan(?:s|ned)? to|intend(?:s|ed)? to|will|going to|yet to)\b", re.I)),
    (Status.declined, re.compile(r"\b(?:refused|declined|decided not|will not|won't|not (?:going|intend))\b", re.I)),
    (Status.in_progress, re.compile(r"\b(?:currently|still|ongoing|in progress|are (?:\w+ing))\b", re.I)),
]
_SCAFFOLD = re.compile(
    rf"\b(?:which|what|{_MEASURE}|does|do|did|has|have|any|each|all|the|police|forces?|"
    r"constabular(?:y|ies)|areas?|pccs?|commissioners?|and|about|what about|how about|list|name|there|it|that|"
    r"this|they)\b",
    re.I,
)
# "the inspection of Sussex Police": the force inspected is the subject, not a filter
_SUBJECT = re.compile(r"\b(?:inspection|inspections|report|review)\s+(?:of|into|on)\s+(?:the\s+)?$", re.I)
# Document kinds named in a question ("the board papers", "letters to the Home Secretary")
_DOC_TYPES = [
    ("board paper", re.compile(r"\bboard (?:papers?|reports?)\b", re.I)),
    ("letter to the Home Secretary", re.compile(r"\bletters? to the home secretary\b", re.I)),
    ("published comments", re.compile(r"\bpublished comments\b", re.I)),
]
_CONTENT = re.compile(r"[A-Za-z]{3,}")
_STOP = frozenset(
    """the and for was were are is has have had what which who whom when how did does do with from
that this those these about there their they them its his her any all each also then than into onto out over
been being will would could should may might can tell say said show give me us our you your please""".split()
)


def _date_filters(question: str) -> tuple[date | None, date | None]:
    q = question.lower()
    since = until = None
    month = rf"(?:({MONTH_WORD})\s+)?"
    if m := re.search(rf"\b(?:since|from|after)\s+{month}((?:19|20)\d\d)\b", q):
        since = date(int(m.group(2)), month_number(m.group(1) or "") or 1, 1)
        if q[m.start() :].startswith("after") and not m.group(1):
            since = date(int(m.group(2)) + 1, 1, 1)
    if m := re.search(rf"\b(?:before|until|up to|prior to)\s+{month}((?:19|20)\d\d)\b", q):
        year, mon = int(m.group(2)), month_number(m.group(1) or "") or 1
        until = date(year - 1, 12, 31) if not m.group(1) else date(year, mon, 1)
    if not (since or until) and (m := re.search(r"\bin\s+((?:19|20)\d\d)\b", q)):
        since, until = date(int(m.group(1)), 1, 1), date(int(m.group(1)), 12, 31)
    return since, until


def _intent(question: str) -> Intent:
    if _WHEN.search(question):
        return Intent.when
    if _HOW_MANY.search(question):
        return Intent.how_many
    if _WHO.search(question):
        return Intent.who
    return Intent.general


def content_words(text: str) -> list[str]:
    return [w for w in _CONTENT.findall(text) if w.lower() not in _STOP]


def understand(
    question: str, previous: Query | None = None, flags: Filters | None = None, previous_docs: list[str] | None = None
) -> Query:
    """A standalone query for `question`, resolved against the previous turn if it is a
    follow-up ("and what about Gwent?", "when was that?", "who wrote it?")."""
    flags = flags or Filters()
    question = " ".join(question.split())
    mentions = find_forces(question)
    named = list(dict.fromkeys(f for f, start, _ in mentions if not _SUBJECT.search(question[:start])))
    without_forces = question
    for _, start, end in reversed(mentions):
        without_forces = without_forces[:start] + " " + without_forces[end:]
    about_forces = bool(_ABOUT_FORCES.search(question))
    since, until = _date_filters(question)
    doc_types = [name for name, pattern in _DOC_TYPES if pattern.search(without_forces)]
    for _, pattern in _DOC_TYPES:
        without_forces = pattern.sub(" ", without_forces)
    without_forces = re.sub(r"\b(?:in|since|before|after|until|from)\s+(?:\w+\s+)?(?:19|20)\d\d\b", " ", without_forces)
    topic = _SCAFFOLD.sub(" ", without_forces)
    topic = " ".join(topic.replace("?", " ").replace("'s", " ").split())

    own_words = [w for w in content_words(topic) if w.lower() not in {"wrote", "write", "written"}]
    follow_up = (
        previous is not None
        and (bool(_FOLLOW_UP.search(question)) or len(own_words) <= 1)
        and not (about_forces and own_words)
    )

    forces = list(flags.forces) or ([] if about_forces and not named else named)
    query = Query(
        question=question,
        text=question,
        topic=topic or question,
        intent=_intent(question),
        about_forces=about_forces,
        follow_up=bool(follow_up),
        specific=bool(own_words),
    )
    for status, pattern in _STATUS_WORDS:
        if about_forces and pattern.search(question):
            query.status = status
            break

    if follow_up and previous is not None:
        # Carry the previous topic and filters; a force named now replaces the previous one.
        query.text = f"{question} {previous.topic}"
        query.topic = topic if len(own_words) >= 2 else f"{topic} {previous.topic}".strip()
        query.about_forces = about_forces or (previous.about_forces and not own_words)
        if query.intent is Intent.general and not own_words and not named:
            query.intent = previous.intent
        if query.status is None:
            query.status = previous.status
        forces = forces or list(previous.filters.forces)
        since = since or previous.filters.since
        until = until or previous.filters.until
        if not named and re.search(r"\b(?:it|that|this|those|these|there|its|they|he|she)\b", question, re.I):
            query.doc_ids = list(previous_docs or previous.doc_ids)
        if named and previous.about_forces:
            query.about_forces = True  # "which forces ...?" -> "and Gwent?" asks the same of Gwent
        if query.doc_ids and query.intent in (Intent.when, Intent.who):
            query.about_forces = False  # "who wrote it?" asks about a document, not about forces

    if follow_up and previous is not None and not doc_types:
        doc_types = list(previous.filters.doc_types)
    query.filters = Filters(
        forces=forces,
        doc_types=list(flags.doc_types) or doc_types,
        since=flags.since or since,
        until=flags.until or until,
    )
    return query
