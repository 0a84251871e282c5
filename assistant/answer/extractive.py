"""The extractive answerer: offline and deterministic. It quotes the sentences that answer,
verbatim, each with its citation; for force questions, one line per force whose own
passages support the claim (forces.py); for questions about a document itself (who wrote
it, to whom, when), the fact its metadata holds, cited where the document states it
(docfacts.py); and it abstains when no sentence answers.

A sentence answers when its calibrated score (evidence.py) reaches the threshold fitted on
the tuning halves, and it contains what the question asks for (kinds.py): a date for
"when", a number of the thing a "how many" counts, a person or body for "who", the holder's
name beside the office for "who is the Chief Constable". A question that presumes an outcome
("what did the audit find?") is answered only by a sentence that reports one.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from assistant.answer.cues import classify_status
from assistant.answer.docfacts import answer_doc_fact, speaker
from assistant.answer.draft import Draft, abstain, label, quote_lines
from assistant.answer.evidence import (
    CALIBRATION,
    Calibration,
    Evidence,
    answer_below,
    citation,
    continued,
    distinct,
    footnote_of,
    is_heading,
    is_question,
    is_title,
    previous_sentence,
    score_sentences,
    with_denial,
)
from assistant.answer.forces import answer_forces
from assistant.answer.kinds import (
    counts,
    gives_reason,
    has_count,
    has_date,
    names_holder,
    names_someone,
    states_cause,
)
from assistant.answer.retrieve import Retriever
from assistant.answer.terms import missing_share, rarest_weight, weighted_terms
from assistant.answer.understand import MONEY, Intent, Query
from assistant.answer.verify import escape_quoted_markers
from assistant.types import Status

MAX_QUOTES = 3
# The least share of a count question's words its answer carries: half the least of a right
# count answer on the tuning halves (0.28, fresh4 k13).
MIN_COUNT_COVERAGE = 0.14
# A sentence that reports what came of something: what an outcome question needs.
_RESULT = re.compile(
    r"\b(?:found|finds|showed|shows|shown|concluded|revealed|succeeded|successful|unsuccessful|approved|granted"
    r"|awarded|rejected|turned\s+down|resulted\s+in)\b"
    # a share of what was looked at is a finding too: "completed in 81 of them", "12 per cent"
    r"|\b\d+\s+(?:out\s+)?of\s+(?:them|those|these|the|\d)|\d\s*(?:%|per\s*cent\b)",
    re.I,
)


_NOT_YET = re.compile(r"\bnot\s+yet\b|\byet\s+to\b", re.I)


def reports_result(text: str) -> bool:
    """Whether `text` reports what came of something: a finding stated, not one promised ("I
    will publish what it finds") or denied ("has not yet audited")."""
    return bool(_RESULT.search(text)) and classify_status(text) not in (Status.planned, Status.declined)


def fits(query: Query) -> Callable[[Evidence], bool]:
    """What a sentence must contain to answer `query`, as a test of a candidate."""
    if query.intent is Intent.how_many and query.focus:
        return lambda ev: counts(ev.sentence.text, query.focus, before=previous_sentence(ev), asked=query.topic)
    test = _text_test(query)
    return (lambda ev: True) if test is None else (lambda ev: test(ev.sentence.text))


def _text_test(query: Query) -> Callable[[str], bool] | None:
    if query.intent is Intent.when:
        return has_date
    if query.intent is Intent.how_many:
        return has_count
    if query.intent is Intent.who:
        return (lambda text: names_holder(text, query.focus)) if query.focus else names_someone
    return None


def _inside_another(ev: Evidence, chosen: list[Evidence]) -> bool:
    """Whether `ev` is already quoted as the continuation of another chosen sentence."""
    s = ev.sentence
    return any(o.doc is ev.doc and o.sentence.start < s.start < o.sentence.end for o in chosen if o is not ev)


def _reasons(found: list[Evidence], keep: float) -> list[Evidence]:
    """The candidates that give a reason for what the question asks about: a reason is stated
    in, or right beside, a sentence about that thing. A "so that" in another section, about
    something else, is no answer, however few other reason-givers there are."""
    if not found:
        return []
    about = [e for e in found if e.score >= keep * found[0].score]

    def beside(ev: Evidence) -> bool:
        here = _position(ev)
        return here is not None and any(
            a.chunk.chunk_id == ev.chunk.chunk_id and (there := _position(a)) is not None and abs(there - here) <= 1
            for a in about
        )

    # a cause stated as one counts further off, when it names something the question does:
    # a "because" in another answer of a form is about that answer's question
    return [e for e in found if gives_reason(e.sentence.text) and beside(e)] or [
        e for e in found if states_cause(e.sentence.text) and e.coverage > 0
    ]


def _position(ev: Evidence) -> int | None:
    """Which sentence of its chunk `ev` is (None for a piece of one, a table cell)."""
    return next((i for i, s in enumerate(ev.chunk.sentences) if s.start == ev.sentence.start), None)


def _speaks_of(ev: Evidence, period: tuple[int, int]) -> bool:
    """Whether the passage's document speaks of a financial year ("2019-20", "2019/20",
    "2019-2020"): an annual report of that year, a paper on it; or names it by where it ends
    or begins ("in the year to 31 March 2020", "from 1 April 2019 to 31 March 2020")."""
    first, last = period
    named = rf"\b{first}\s*[-/–]\s*(?:{last}|{last % 100:02d})\b"
    march_31 = rf"(?:the\s+)?31(?:st)?\s+(?:of\s+)?March\s+{last}\b"
    ends = rf"\byear\s+(?:to|ending|ended)\s+{march_31}"
    spans = rf"\b1(?:st)?\s+(?:of\s+)?April\s+{first}\s*(?:to|and|until|-|–)\s*{march_31}"
    return bool(re.search(f"{named}|{ends}|{spans}", ev.doc.text, re.I))


def _with_one(
    chosen: list[Evidence], found: list[Evidence], floor: float, test: Callable[[str], bool]
) -> list[Evidence]:
    """`chosen`, with the best of `found` above `floor` that passes `test` in the last place
    when none of `chosen` does."""
    if any(test(e.sentence.text) for e in chosen):
        return chosen
    extra = [e for e in found if e.score >= floor and test(e.sentence.text)]
    return chosen[: MAX_QUOTES - 1] + extra[:1] if extra else chosen


def _merged(quotes: list[Evidence]) -> list[Evidence]:
    """`quotes` without a passage twice (two answers often quote the same sentence, once with
    its continuation) or the same words twice."""
    merged: list[Evidence] = []
    for ev in quotes:
        s = ev.sentence
        if not any(o.doc is ev.doc and o.sentence.start < s.end and s.start < o.sentence.end for o in merged):
            merged.append(ev)
    return distinct(merged, len(merged))


class ExtractiveAnswerer:
    name = "extractive"

    def __init__(self, retriever: Retriever, calibration: Calibration | None = None):
        self.retriever = retriever
        self.calibration = calibration or Calibration.load(CALIBRATION)

    def candidates(self, query: Query, k: int, without: frozenset[str] = frozenset()) -> list[Evidence]:
        """Every sentence of the question's best chunks, scored, best first; `without`: as if
        those documents were not indexed (calibration asks what an unanswered question looks like)."""
        hits = self.retriever.search(query.text, query.filters, k=k * 2 + (k * 4 if without else 0))
        hits = [h for h in hits if h.doc_id not in without][: k * 2]
        snap = self.retriever.snapshot()
        return score_sentences(
            snap,
            hits,
            weighted_terms(snap.keyword, query.topic),
            query_vector=self.retriever.query_vector(query.text),
            calibration=self.calibration,
            doc_ids=query.doc_ids,
            missing=missing_share(snap.keyword, query.topic),
            ceiling=rarest_weight(snap.keyword),
        )

    def eligible(self, query: Query, k: int, without: frozenset[str] = frozenset()) -> list[Evidence]:
        """The candidates that contain what `query` asks for and are no heading, best first."""
        test = fits(query)
        # a name-and-office line answers "who", a date line "when": only all-capital headings go
        label = is_heading if query.intent in (Intent.who, Intent.when) else is_title
        found = [e for e in self.candidates(query, k, without) if not label(e.sentence.text)]
        # a question the document was asked is no answer; the reply under it may be
        snap = self.retriever.snapshot()
        found = [r for e in found if (r := answer_below(e, snap) if is_question(e.sentence.text) else e) is not None]
        if query.intent is Intent.why:
            # a reason stated with a connective ("because a PIN remains ..."), else the passage
            # itself: a reason stated beside a decision ("Will not be taken forward. Bid
            # unsuccessful") has none
            return _reasons(found, self.calibration.keep) or found
        if query.intent is Intent.how_many and query.focus != MONEY:
            # a number of people is in most passages (an amount of money is not): the count must
            # be said of what the question is about ("240 staff ... completed a module" counts
            # no one the advocates helped)
            found = [e for e in found if e.coverage >= MIN_COUNT_COVERAGE]
        return [e for e in found if test(e)]

    def answers(self, query: Query, k: int) -> list[Evidence]:
        """The sentences that answer `query`, best first (empty: the documents do not say)."""
        found = self.eligible(query, k)
        if not found or self.calibration.answerable(found[0]) < self.calibration.answer:
            return []
        floor = self.calibration.keep * found[0].score
        chosen = [x for e in distinct(found, MAX_QUOTES) if e.score >= floor for x in continued(e)]
        chosen = [e for e in chosen if not _inside_another(e, chosen)]
        first = chosen[0].sentence.text
        # A why-question no candidate answers with a connective: a reason stated beside the
        # decision follows it in its paragraph ("has decided not to withdraw them. Victims told
        # us that ..."). A "not yet" with no date: when it will be is what a reader asks next.
        unstated = query.intent is Intent.why and not any(gives_reason(e.sentence.text) for e in chosen)
        if unstated:
            # each passage with the rest of its paragraph: the first may be a table row with none
            # ("The Commissioner asked why the input had not started. Supt Ferris explained ..."),
            # and with the footnote it points to, where a reason is often given
            chosen = [x for e in chosen for x in continued(e, paragraph=True)]
            chosen = [e for e in chosen if not _inside_another(e, chosen)]
            snap = self.retriever.snapshot()
            chosen = _merged([x for e in chosen for x in (e, footnote_of(e, snap)) if x is not None])
        elif _NOT_YET.search(first) and not has_date(first):
            chosen[:1] = continued(chosen[0], paragraph=True)
            chosen = [e for e in chosen if not _inside_another(e, chosen)]
        if query.intent is Intent.yes_no:
            # "Do its officers fill in S-DASH?" / "Its officers use the DASH checklist ...": the
            # "has not adopted S-DASH" beside it is the answer
            chosen = [x for e in chosen for x in with_denial(e)]
            chosen = [e for e in chosen if not _inside_another(e, chosen)]
        if query.outcome:
            # "what did they find?": the finding may rank below the sentences that set it up
            chosen = _with_one(chosen, found, floor, reports_result)
        return chosen

    def answer(self, query: Query, k: int) -> Draft:
        if query.about_forces:
            return answer_forces(self.retriever, query, k)
        if query.doc_fact and (draft := answer_doc_fact(self.retriever, query, k)):
            return draft
        chosen, why = self.quotes(query, k)
        # a compound question ("how many did it look at, and how many were missed?"): read whole,
        # it asks for the kind of answer of one part; each part's best answer is added
        chosen = _merged(chosen + [q[0] for part in query.parts if (q := self.quotes(part, k)[0])])
        if not chosen:
            return abstain(query, why)
        lines, citations = quote_lines(chosen)
        if query.intent is Intent.who and (spoke := speaker(self.retriever.snapshot(), chosen[0])):
            # "said the Commissioner", "I would rather ...": the document's own signature says who
            statement, stated = spoke
            cited = [citation(len(citations) + i, e) for i, e in enumerate(stated, 1)]
            quotes = " ".join(f"“{c.quote}” [{c.n}]" for c in cited)
            lines.append(escape_quoted_markers(f"- {statement}: {label(stated[0])}: {quotes}"))
            citations += cited
        forces = sorted({c.force for c in citations if c.force and c.force in query.filters.forces})
        return Draft(text="\n".join(lines), citations=citations, forces=forces)

    def quotes(self, query: Query, k: int) -> tuple[list[Evidence], str]:
        """The sentences that answer `query`, or none and why not (empty: no passage answers)."""
        chosen = self.answers(query, k)
        if not chosen:
            return [], ""
        if query.outcome and not any(reports_result(e.sentence.text) for e in chosen):
            return [], "the passages on it report no outcome yet"
        if query.period and not any(_speaks_of(e, query.period) for e in chosen):
            first, last = query.period
            return [], f"the passages on it do not speak of {first}-{last % 100:02d}"
        return chosen, ""
