"""Turn a question (and the conversation so far) into a standalone query: retrieval text, the
filters the question names, what kind of answer it wants, and whether it is about forces or
about a document itself (who wrote it, to whom, when).

Everything here reads the *shape* of a question (its wh-word, its auxiliaries, the noun a
"how many" counts), never its topic: the answerer finds the topic's words in the documents.
"""

from __future__ import annotations

import re
from datetime import date
from enum import StrEnum

from pydantic import BaseModel, Field

from assistant.types import Filters, Status
from ingest.dates import MONTH_WORD, month_number
from ingest.forces import find_forces


class Intent(StrEnum):
    """The kind of answer a question asks for."""

    general = "general"
    when = "when"  # a date
    who = "who"  # a person, an office or a body
    how_many = "how_many"  # a number (of the `focus` the question counts)
    why = "why"  # a reason
    yes_no = "yes_no"  # "has/did/does X ...?": the sentence that says whether


class DocFact(StrEnum):
    """A fact about a document itself, read by ingest.describe from its letterhead, date
    line, signature and header fields."""

    author = "author"
    role = "role"
    recipient = "recipient"
    copied = "copied"
    date = "date"
    meeting = "meeting"
    kind = "kind"
    report = "report"


class Query(BaseModel):
    question: str  # as asked
    text: str  # standalone retrieval text
    topic: str  # the question without its scaffolding ("which forces", force names)
    filters: Filters = Field(default_factory=Filters)
    from_question: list[str] = Field(default_factory=list)  # which filters the question itself named
    intent: Intent = Intent.general
    focus: str = ""  # what a "how many" counts ("stalking offences"), or the office a "who is the ..." names
    doc_fact: DocFact | None = None
    more_facts: list[DocFact] = Field(default_factory=list)  # "who sent it, to whom, and for which board?"
    outcome: bool = False  # "what did the audit find?", "did the bid succeed?": presumes it has happened
    about_forces: bool = False
    status: Status | None = None  # "which forces plan to ..." asks for one status
    not_done: bool = False  # "which forces have not yet ...": any status the documents give but done
    doc_ids: list[str] = Field(default_factory=list)  # "it", "that letter": the documents cited last turn
    follow_up: bool = False
    specific: bool = True  # has content words of its own (not just "when was that?")
    period: tuple[int, int] | None = None  # a financial year asked about ("in 2019-20"): (2019, 2020)
    # "how many did it look at, and how many should have been recorded?": each part on its own,
    # the second read as a follow-up of the first (empty for a question in one part)
    parts: list[Query] = Field(default_factory=list)


_ABOUT_FORCES = re.compile(
    r"""
    \b(?:which|what|how\ many|list\ (?:the\ )?|name\ (?:the\ )?)\s*(?:police\s+)?
        (?:forces|constabular(?:y|ies)|areas|pccs|commissioners|police\ services)\b   # "which forces ..."
    | \b(?:does|do|did|has|have)\ any\ (?:police\ )?(?:force|constabulary|pcc)s?\b    # "has any force ..."
    | \beach\ (?:police\ )?(?:force|constabulary|pcc)\b
    | \b(?:all|any)\ (?:the\ )?forces\b
    | \bforces?\ (?:that|which|who)\b                                               # "forces that ..."
    | \bin\ which\ (?:force\ )?areas\b                                              # "in which force areas ..."
    """,
    re.I | re.VERBOSE,
)
_WHEN = re.compile(
    r"""
    ^\W*(?:and\s+)?(?:when|what\ date|on\ what\ date|what\ day|which\ date)\b   # "when did ...", "what date ..."
    | \b(?:by|from|since|until|till)\ when\b                                  # "by when has ...", "from when will ..."
    | \bdate\ of\b | \bdated\b
    """,
    re.I | re.VERBOSE,
)
_WHO = re.compile(
    r"""
    ^\W*(?:and\s+)?who(?:m|se)?\b            # "who ...", "whom ...", "whose ..."
    | \bwhich\ (?:[\w'’-]+\ ){0,4}?(?:person|officer|official|organisation|body|unit|team|group|charity|partner
        |board|committee|panel|service|agency|inspector)\b                    # "which Thames Valley Police officer"
    | \bname\ of\b | \bwho\ (?:is|was)\b
    """,
    re.I | re.VERBOSE,
)
# "how long", "how quickly": the answer is a number (of days, officers, ...); the adverb says
# which kind, so it is scaffolding, never a topic word a passage must contain
_MEASURE = r"how (?:many|much|long|quickly|soon|fast|often|frequently)"
# "what is the salary of ...", "what was the total cost": a quantity asked for by its name
_QUANTITY = r"salary|salaries|wage|cost|costs|budget|price|value|amount|total|number|proportion|percentage|share"
_HOW_MANY = re.compile(
    rf"\b{_MEASURE}\b|\bwhat (?:number|proportion|percentage|share)\b"
    rf"|\bwhat\s+(?:is|was|are|were)\s+(?:the\s+)?(?:[\w'’-]+\s+){{0,2}}?(?:{_QUANTITY})\b",
    re.I,
)
# The noun a count is of: "how many stalking offences did ..." -> "stalking offences"
_COUNTED = re.compile(
    # "how many of them ...", "how many are ...": no noun, the count is of what was asked before
    r"\bhow\s+many\s+(?!(?:of|did|does|do|has|have|had|were|was|are|is|will|would|can|could|should|it|they|them)\b)"
    r"(?P<focus>[\w'’-]+(?:\s+(?!(?:did|does|do|has|have|had|were|was|are|is|will|would|can|could|"
    r"should|in|by|at|on|for|per|each|a|an|the|since|during)\b)[\w'’-]+){0,6})",
    re.I,
)
_WHY = re.compile(
    r"^\W*(?:and\s+)?why\b|\bwhat\s+(?:is|was|were)\s+the\s+reasons?\b|\bfor\s+what\s+reason\b"
    r"|\bwhat\s+(?:led|caused|made|prompted)\b|\bhow\s+come\b"  # "what led officers to miss ..."
    # what stood in its way: "what held up the audit?", "what has delayed the training?"
    r"|\bwhat\s+(?:has\s+|had\s+)?(?:held|holding|kept|keeping|delayed|stopped|prevented|slowed)\b",
    re.I,
)
_YES_NO = re.compile(
    # after a condition the question may open with: "If I report a stalker, do I have to ...?"
    r"^\W*(?:(?:if|when|once|after)\b[^,?]*,\s*)?(?:and\s+)?"
    r"(?:has|have|had|did|does|do|is|are|was|were|will|can|could|would|should|must|may)\s+(?!any\b)",
    re.I,
)
# Questions that presume something finished and ask what came of it.
_OUTCOME = re.compile(
    r"""
    \bwhat\s+(?:did|does|has|have)\b.*\b(?:find|found|show|shown|reveal|conclude|identify|recommend)\b
    | \b(?:did|has|have)\b.*\b(?:succeed|succeeded|work|worked|pass|passed|approved)\b
    | \bwhat\s+(?:was|were|is|are)\s+the\s+(?:outcome|result|finding|conclusion)s?\b
    """,
    re.I | re.VERBOSE,
)
# An office a "who is the ..." asks for: "who is the Chief Constable of Cumbria?"
_OFFICE = re.compile(
    r"""
    \b(?:who\s+(?:is|was)\s+the|name\s+of\s+(?:the\s+)?[\w'’ ]*?)\s*
    (?P<office>(?:deputy\s+|assistant\s+|acting\s+)?(?:chief\s+constable|police\s+(?:,\s*fire\s+)?and\s+crime\s+commissioner
        |pcc|commissioner|force\s+lead|lead|head\s+of\s+[\w ]+?|chair(?:man|woman)?|force\s+crime\s+registrar))\b
    """,
    re.I | re.VERBOSE,
)
_DOC_FACTS: list[tuple[DocFact, re.Pattern[str]]] = [
    (
        DocFact.role,
        re.compile(
            r"\bin\s+what\s+(?:capacity|role)\b"
            r"|\bwhat\s+(?:is|was)\s+(?:the\s+)?(?:role|position|office|title)\s+of\s+the\s+(?:author|signatory|writer)\b"
            r"|\bwhat\s+(?:role|position|office)\s+(?:does|did)\b.*\b(?:hold|have|write|sign)\b",
            re.I,
        ),
    ),
    (
        DocFact.copied,
        re.compile(r"\bwho(?:m)?\b.*\b(?:copied|cc'?d|cop(?:y|ies))\b|\b(?:copied|cc'?d)\s+(?:in|to|on)\b", re.I),
    ),
    (
        DocFact.recipient,
        re.compile(
            r"\bto\s+whom\b"
            r"|\b(?:who|which\s+[\w ]{1,40}?)\s+(?:was|is|were)\s+.{0,60}?\b(?:addressed|sent|written)\s+to\b"
            r"|\bwho\s+(?:received|receives|was\s+the\s+recipient)\b|\b(?:recipient|addressee)\b"
            r"|\baddressed\s+to\s+whom\b|\bwho\s+did\s+(?:\w+\s+){0,6}(?:write|send|address|copy)\s+(?:\w+\s+){0,4}to\b",
            re.I,
        ),
    ),
    (
        DocFact.author,
        re.compile(
            r"\bwho\s+(?:wrote|signed|authored|prepared|sent|issued|published|presented|is\s+the\s+author)\b"
            r"|\bwho\s+(?:was|is)\s+(?:it|this|that|the\s+\w+(?:\s+\w+)?)\s+(?:written|signed|authored|sent|from)\b"
            r"|\b(?:author|signatory|writer)\s+of\b|\bwho\s+(?:\w+\s+){0,3}(?:wrote|signed)\b",
            re.I,
        ),
    ),
    (
        DocFact.date,
        re.compile(
            r"\b(?:when|what\s+date|on\s+what\s+date)\b.*\b(?:written|sent|dated|published|issued|signed|write|send|"
            r"publish|issue|sign|respond|responded|reply|replied|consider|considered|meet|met|held|updated)\b"
            # "the date of the joint Lancashire letter": a few words may qualify the document
            r"|\bdate\s+(?:of|on)\s+(?:the|this|that|its|[\w-]+'s)\s+(?:[\w-]+\s+){0,4}?"
            r"(?:letter|paper|meeting|minutes|report|release|page|email|plan|response)\b",
            re.I,
        ),
    ),
    (
        DocFact.meeting,
        re.compile(
            r"\b(?:which|what)\s+(?:board|committee|panel|meeting|body)\b.*\b(?:paper|report|plan|tracker|minutes|"
            r"considered|presented|received|oversees?|went|go|reported|submitted)\b"
            r"|\b(?:for|to)\s+(?:which|what)\s+(?:board|committee|panel|meeting)\b",  # "and for which board?"
            re.I,
        ),
    ),
    (DocFact.kind, re.compile(r"\bwhat\s+(?:kind|type|sort)\s+of\s+document\b", re.I)),
    (
        DocFact.report,
        re.compile(
            r"\b(?:which|what)\s+(?:report|inspection)\b.*\b(?:respond|responds|responded|answer|answers|reply|replies)\b",
            re.I,
        ),
    ),
]
# Where a question asks a second thing: ", and where is it going next?". A "which forces ...,
# and when do they plan to?" asks the second of each force, so it stays whole.
_SECOND_PART = re.compile(
    r",?\s+(?=and\s+(?:(?:in|on|at|for|by|from|to|with|since|until)\s+)?(?:how|what|where|when|which|who|whom|whose|why)\b)",
    re.I,
)
# A first part that asks for a person: a second part's "she" is that person ("who signed it, and
# what is her job?"), whom the first part's answer names, with the role the signature gives
_ASKS_PERSON = re.compile(
    r"^\W*who\b|\bwhich\s+(?:[\w'’-]+\s+){0,4}?(?:person|officer|official|member|inspector)\b", re.I
)
_THAT_PERSON = re.compile(r"\b(?:she|he|her|his|him)\b", re.I)


def split_parts(question: str) -> list[str]:
    """The questions a compound question asks, in order (one item for a simple question)."""
    parts = [p.strip() for p in _SECOND_PART.split(question) if p.strip()]
    if len(parts) < 2 or not content_words(parts[0]):
        return [question]
    if _ASKS_PERSON.search(parts[0]) and _THAT_PERSON.search(" ".join(parts[1:])):
        return [question]
    return [p if p.endswith("?") else f"{p}?" for p in parts]


_CONTINUES = re.compile(
    r"^\W*(?:and|but|also|what\ about|how\ about|and\ what\ about|what\ of|and\ in|same\ for|then)\b",
    re.I | re.VERBOSE,
)
_PRONOUN = re.compile(r"\b(?:it|that|this|they|them|there|those|these|he|she|his|her|their|its)\b", re.I)
_PERSONAL = re.compile(r"\b(?:it|they|them|he|she|his|her|their|its)\b", re.I)  # never a conjunction
SELF_CONTAINED = 4  # topical words of a question that has its own subject
_NAMES_A_DOCUMENT = re.compile(r"\b(?:letter|paper|minutes|release|report|plan|tracker|email|page|comments)\b", re.I)
_POINTS_BACK = re.compile(r"\b(?:it|that|this|those|these|there|its|they|he|she|his|her|the\s+same)\b", re.I)
_STATUS_WORDS = [
    (Status.planned, re.compile(r"\b(?:plan(?:s|ned)? to|intend(?:s|ed)? to|will|going to|yet to)\b", re.I)),
    (
        Status.declined,
        re.compile(
            r"\b(?:refused|refuse|declined|decline|decided not|will not|won't|not (?:going|intend)|"
            r"not\s+accept(?:ed)?|reject(?:ed)?)\b",
            re.I,
        ),
    ),
    (Status.in_progress, re.compile(r"\b(?:currently|still|ongoing|in progress|are (?:\w+ing))\b", re.I)),
]
# "which forces have not yet audited ...", "are yet to appoint ...": what they have not done,
# whatever they say of it instead (planned, under way, declined)
_NOT_DONE = re.compile(
    r"\b(?:ha(?:ve|s)(?:n['’]t|\s+not)|not\s+yet|yet\s+to|still\s+not|failed\s+to|(?:are|is)\s+not\s+yet)\b", re.I
)
_MEASURE_VERBOSE = _MEASURE.replace(" ", "\\ ")
_SCAFFOLD = re.compile(
    rf"""\b(?:which|what|{_MEASURE_VERBOSE}|does|do|did|has|have|any|each|all|the|police|forces?
    |constabular(?:y|ies)|areas?|pccs?|commissioners?|and|about|what\ about|how\ about|list|name|there|it|that
    |this|they)\b""",
    re.I | re.VERBOSE,
)
# A force named as the subject of a report, not as a filter: "the inspection of Sussex Police",
# "the Sussex report", "the Sussex stalking inspection report" (every response answers it).
_SUBJECT_BEFORE = re.compile(r"\b(?:inspection|inspections|report|review)\s+(?:of|into|on)\s+(?:the\s+)?$", re.I)
# ("the Sussex 2019 stalking report"; not "Kent Police responded to the inspection", where the
# words between are a clause: a verb, a preposition, an article)
_NOT_A_MODIFIER = r"(?!(?:to|the|a|an|of|for|on|in|about|with|by|did|does|has|have|respond\w*|repl\w*|answer\w*)\b)"
_SUBJECT_AFTER = re.compile(
    rf"^(?:\s+(?:police|constabulary))?(?:['’]s)?(?:\s+{_NOT_A_MODIFIER}[\w-]+){{0,3}}?"
    r"\s+(?:report|inspection|review|thematic)\b",
    re.I,
)
# Document kinds named in a question ("the board papers", "letters to the Home Secretary")
_DOC_TYPES = [
    ("board paper", re.compile(r"\b(?:board|committee) (?:papers?|reports?)\b", re.I)),
    ("letter to the Home Secretary", re.compile(r"\bletters? to the home secretary\b", re.I)),
    ("published comments", re.compile(r"\bpublished comments\b", re.I)),
    ("minutes", re.compile(r"\bminutes\b", re.I)),
    ("press release", re.compile(r"\bpress releases?\b", re.I)),
    ("annual report", re.compile(r"\bannual reports?\b", re.I)),
    ("action plan", re.compile(r"\b(?:action plans?|trackers?)\b", re.I)),
]
_CONTENT = re.compile(r"[A-Za-z]{3,}")
_STOP = frozenset(
    """the and for was were are is has have had what which who whom when how did does do with from
that this those these about there their they them its his her any all each also then than into onto out over
been being will would could should may might can tell say said show give me us our you your please why not""".split()
)
# Words that ask about a document rather than name a topic ("who wrote it?" has no topic).
_DOCUMENT_WORDS = frozenset("wrote write written signed sign sent send letter paper minutes addressed".split())


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
    # "in 2019" is a calendar year; "in 2019-20" a financial year, a period (`financial_year`)
    if not (since or until) and (m := re.search(r"\bin\s+((?:19|20)\d\d)\b(?![-/–]\d)", q)):
        since, until = date(int(m.group(1)), 1, 1), date(int(m.group(1)), 12, 31)
    return since, until


_FINANCIAL_YEAR = re.compile(r"\b((?:19|20)\d\d)\s*[-/–]\s*(\d\d(?:\d\d)?)\b")


def financial_year(question: str) -> tuple[int, int] | None:
    """The financial year a question names ("in 2019-20", "2018/19"): its first and last
    calendar years. Not a filter on documents' dates (the 2019-20 annual report is published
    in the autumn of 2020): the answer must speak of that year instead."""
    m = _FINANCIAL_YEAR.search(question)
    if not m:
        return None
    first, last = int(m.group(1)), int(m.group(2))
    last = last if last > 999 else first // 100 * 100 + last
    return (first, last) if last == first + 1 else None


def _intent(question: str) -> Intent:
    for intent, pattern in (
        (Intent.when, _WHEN),
        (Intent.how_many, _HOW_MANY),
        (Intent.why, _WHY),
        (Intent.who, _WHO),
        (Intent.yes_no, _YES_NO),
    ):
        if pattern.search(question):
            return intent
    return Intent.general


_MONEY = re.compile(r"\bhow\s+much\b(?!\s+(?:time|longer))|\b(?:cost|budget|spend|spent|funding|fund|paid|pay)\b", re.I)
_PRICE = re.compile(r"\b(?:salary|salaries|wages?|costs?|budget|price|pay)\b", re.I)
MONEY = "£"  # the focus of a question about an amount of money


def _focus(question: str, intent: Intent) -> str:
    if intent is Intent.how_many and (m := _COUNTED.search(question)):
        return m.group("focus")
    if intent is Intent.how_many and re.search(r"\bhow\s+much\b", question, re.I) and _MONEY.search(question):
        return MONEY
    if intent is Intent.how_many and _PRICE.search(question):
        return MONEY  # "what is the salary of ...": an amount of money, not any number
    if intent is Intent.who and (m := _OFFICE.search(question)):
        return " ".join(m.group("office").split())
    return ""


def doc_facts(question: str) -> list[DocFact]:
    """Every document fact a question asks for: the first in `_DOC_FACTS`'s order that it asks
    for, then the others in the order asked ("Who sent it, to whom, and for which board?"). A
    phrase asks for one fact: "who was the letter sent to" is the recipient's, not also the
    writer's."""
    found = [(m.start(), m.end(), fact) for fact, pattern in _DOC_FACTS if (m := pattern.search(question))]
    kept: list[tuple[int, int, DocFact]] = []
    for start, end, fact in found:
        if all(end <= a or start >= b for a, b, _ in kept):
            kept.append((start, end, fact))
    return [fact for _, _, fact in kept[:1] + sorted(kept[1:], key=lambda x: x[0])]


def content_words(text: str) -> list[str]:
    return [w for w in _CONTENT.findall(text) if w.lower() not in _STOP]


def named_forces(question: str) -> tuple[list[str], list[tuple[int, int]]]:
    """(forces the question limits itself to, spans of every force mention). A force named as
    the subject of a report ("the Sussex report") is mentioned but limits nothing."""
    mentions = find_forces(question)
    named = [
        force
        for force, start, end in mentions
        if not _SUBJECT_BEFORE.search(question[:start]) and not _SUBJECT_AFTER.match(question[end:])
    ]
    return list(dict.fromkeys(named)), [(start, end) for _, start, end in mentions]


def _topic(question: str, spans: list[tuple[int, int]], kinds: bool = True) -> tuple[str, list[str]]:
    """(the question without forces, dates, document kinds and scaffolding; the kinds it named).
    `kinds=False`: a kind named is part of the topic ("its Strategic Action Plan")."""
    text = question
    for start, end in reversed(spans):
        text = text[:start] + " " + text[end:]
    doc_types = [name for name, pattern in _DOC_TYPES if pattern.search(text)] if kinds else []
    for _, pattern in _DOC_TYPES if kinds else []:
        text = pattern.sub(" ", text)
    text = re.sub(r"\b(?:in|since|before|after|until|from)\s+(?:\w+\s+)?(?:19|20)\d\d\b", " ", text)
    # "no longer issue PINs" is an action done, stopping: the words documents report it in
    text = re.sub(r"\bno\s+longer\b", "stopped", text, flags=re.I)
    topic = _SCAFFOLD.sub(" ", text)
    return " ".join(topic.replace("?", " ").replace("'s", " ").split()), doc_types


def understand(
    question: str,
    previous: Query | None = None,
    flags: Filters | None = None,
    previous_docs: list[str] | None = None,
    kinds: bool = True,
) -> Query:
    """A standalone query for `question`, resolved against the previous turn if it is a
    follow-up ("and what about Gwent?", "when was that?", "who wrote it?", "why not?").
    Filters the user set (`flags`) win over filters the question names. `kinds=False`: a
    document kind the question names ("action plan") is what it asks about, not a filter."""
    flags = flags or Filters()
    question = " ".join(question.split())
    named, spans = named_forces(question)
    topic, doc_types = _topic(question, spans, kinds)
    about_forces = bool(_ABOUT_FORCES.search(question))
    since, until = _date_filters(question)
    own_words = [w for w in content_words(topic) if w.lower() not in _DOCUMENT_WORDS]
    follow_up = previous is not None and not (about_forces and own_words)
    follow_up = follow_up and (_follows(question, named, own_words) or _asked_already(own_words, previous, named))
    intent = _intent(question)
    facts = doc_facts(question)
    query = Query(
        question=question,
        text=question,
        topic=topic or question,
        intent=intent,
        focus=_focus(question, intent),
        doc_fact=facts[0] if facts else None,
        more_facts=facts[1:],
        outcome=bool(_OUTCOME.search(question)),
        about_forces=about_forces,
        follow_up=bool(follow_up),
        specific=bool(own_words),
        period=financial_year(question),
    )
    if about_forces:
        query.status = next((s for s, pattern in _STATUS_WORDS if pattern.search(question)), None)
        query.not_done = query.status is None and bool(_NOT_DONE.search(question))
    forces = [] if about_forces and not named else named
    if follow_up and previous is not None:
        forces = _follow(query, previous, previous_docs, named, own_words) or forces
        since, until = since or previous.filters.since, until or previous.filters.until
        doc_types = doc_types or list(previous.filters.doc_types)
    query.from_question = [
        *(f"force {f}" for f in forces if f not in flags.forces),
        *(f"type {t}" for t in doc_types if t not in flags.doc_types),
        *([f"since {since}"] if since and not flags.since else []),
        *([f"until {until}"] if until and not flags.until else []),
    ]
    query.filters = Filters(
        forces=list(flags.forces) or forces,
        doc_types=list(flags.doc_types) or doc_types,
        since=flags.since or since,
        until=flags.until or until,
    )
    if not about_forces and len(asked := split_parts(question)) > 1:
        query.parts = _parts(asked, query, previous, flags, previous_docs, kinds)
        first = query.parts[0]
        if first.follow_up and not query.follow_up and previous is not None:
            # "When was that finished, and in how many cases ...?": its first part points back,
            # however many words of its own the second part brings
            query.follow_up, query.text = True, f"{question} {previous.topic}"
            query.filters, query.doc_ids = first.filters.model_copy(deep=True), list(first.doc_ids)
    return query


def _parts(
    asked: list[str],
    whole: Query,
    previous: Query | None,
    flags: Filters,
    previous_docs: list[str] | None,
    kinds: bool,
) -> list[Query]:
    """Each part of a compound question as a query of its own: a later part goes on from the
    one before it ("and where is it going next?" is about the pilot), and a part that names no
    force is limited to the forces the whole question names."""
    parts: list[Query] = []
    for text in asked:
        part = understand(text, parts[-1] if parts else previous, flags, previous_docs, kinds)
        if not part.filters.forces:
            part.filters.forces = list(whole.filters.forces)
        parts.append(part)
    return parts


def _follows(question: str, named: list[str], own_words: list[str]) -> bool:
    """Whether a question goes on from the previous one: it says so ("and ...", "what
    about ..."), points back ("it", "that"), or has no topic of its own ("why not?"). A question
    that names its own force or document ("who wrote the Gwent letter?") stands alone."""
    if _CONTINUES.search(question):
        return True
    if named or (_NAMES_A_DOCUMENT.search(question) and not _PRONOUN.search(question)):
        return False
    if len(own_words) >= SELF_CONTAINED and not _PERSONAL.search(question):
        return False  # "who said that breaking an order ...": "that" opens a clause, it points nowhere
    return bool(_PRONOUN.search(question)) or len(own_words) <= 1


def _asked_already(own_words: list[str], previous: Query | None, named: list[str]) -> bool:
    """Whether a short question names nothing new: every word of it was in the previous
    question ("When did the PCC write to the Home Secretary?" then "Who was the Home
    Secretary?"), so it asks about what that answer found."""
    if previous is None or named or not own_words or len(own_words) >= SELF_CONTAINED:
        return False
    before = {w.lower() for w in content_words(previous.question)}
    return all(w.lower() in before for w in own_words)


def _follow(
    query: Query, previous: Query, previous_docs: list[str] | None, named: list[str], own_words: list[str]
) -> list[str]:
    """Resolve a follow-up against the previous turn: carry its topic and filters (a force
    named now replaces the previous one); "it", "that", or no topic of its own, points back
    to the documents the previous answer cited. Returns the forces to filter by."""
    own_topic = "" if query.topic == query.question and not own_words else query.topic
    query.text = f"{query.question} {previous.topic}"
    query.topic = own_topic if len(own_words) >= 2 else f"{own_topic} {previous.topic}".strip()
    query.about_forces = query.about_forces or (previous.about_forces and not own_words)
    if query.intent is Intent.general and not own_words and not named:
        query.intent = previous.intent
    if query.status is None:
        query.status = previous.status
    points_back = _POINTS_BACK.search(query.question) and len(own_words) < SELF_CONTAINED
    if not named and (points_back or not own_words):
        # "when was it sent?" asks about the cited document; "when did the College write to chief
        # constables about it?" has a subject of its own, and "it" is only the topic
        query.doc_ids = list(previous_docs or previous.doc_ids)
    if named and previous.about_forces:
        query.about_forces = True  # "which forces ...?" -> "and Gwent?" asks the same of Gwent
    if query.doc_ids and not own_words and query.doc_fact is None:
        # "when was that?", "who was that?" of a cited document ask for its date, its writer
        query.doc_fact = {Intent.when: DocFact.date, Intent.who: DocFact.author}.get(query.intent)
    if query.doc_ids and (query.doc_fact or query.intent in (Intent.when, Intent.who, Intent.why)):
        query.about_forces = False  # "who wrote it?", "why not?" ask about a passage, not about forces
    return named or list(previous.filters.forces)
