"""Status with evidence: what one force's own passages say it did about a topic (done, in
progress, planned, declined, or not mentioned), and the sentences that prove it. `ask`'s
force questions and the compare matrix both decide here, so the chat and the matrix agree.

How a force is judged (docs/compare.md has the rules in full and their measurements):
1. One retrieval per topic: the topic (plus its synonyms) is embedded once and scored once
   against every chunk; each force then ranks its own chunks (`force_evidence`).
2. Supporting sentences. A sentence speaks to the topic when one of its clauses carries
   MIN_SUPPORT_COVERAGE of the topic's weighted words and the topic's action, in its words
   or near them, or the sentence stands MIN_ACTION_SEMANTIC close to the topic (topic.py);
   its chunk is MIN_SUPPORT_DENSE close to the topic, its document uses every weighty topic
   word somewhere, and no other topic of the same comparison claims it clearly more. What a
   force was asked or told is no evidence of what it did: recommendations and inspectorate
   findings quoted back (a tracker's recommendation cell included), statements about the
   document itself and attitudes ("recognises the importance of") never support a status.
   A response that leaves a recommendation to a national body ("This recommendation is
   addressed to the NPCC lead ... will await") supports `declined` when that recommendation
   is about the topic. No supporting sentence: `not_mentioned`, with no citation, never a guess.
3. The latest-dated document that speaks decides; undated documents rank after dated ones.
   A document speaks when its best sentence carries SPEAKS_RATIO of what the force's best
   sentence carries, so that a passing phrase in a later paper does not overrule a full answer.
4. In that document each supporting sentence gets a status from the cue classifier (cues.py),
   reading first the clause that carries the topic. An explicit refusal decides; then what
   was done, what is under way, what is planned (a negation, "has not yet audited", is never
   done: planned at most), and last a deferral to a national body. The sentence that decides
   is quoted first.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import date

from assistant.answer.cues import (
    Cue,
    clauses,
    cues,
    explain,
    has_specific_date,
    is_deferral,
    is_quoted_recommendation,
    past_deadline,
    reports_no_force_action,
    without_questions,
)
from assistant.answer.evidence import (
    MIN_STATEMENT_WORDS,
    Evidence,
    answer_below,
    is_heading,
    is_question,
    is_recommendation,
    is_title,
    pieces,
    previous_sentence,
    score_sentences,
    status_thresholds,
    with_continuation,
)
from assistant.answer.kinds import has_date
from assistant.answer.retrieve import Retriever
from assistant.answer.snapshot import Snapshot
from assistant.answer.terms import stem_sequence, stems
from assistant.answer.topic import (
    MIN_SUPPORT_COVERAGE,
    Terms,
    carries_action,
    coverage,
    document_lacks,
    has_the_thing,
    sentence_coverage,
    topic_terms,
)
from assistant.answer.understand import Query, understand
from assistant.types import Status
from ingest.types import Sentence

__all__ = ["COMPARE_K", "MAX_CITATIONS", "Judgement", "Support", "Terms", "judge", "judge_forces", "select_status"]
__all__ += ["force_evidence", "sentence_coverage", "topic_query", "topic_terms"]

# Fitted with the answerer's calibration on the tuning halves (evals/calibrate.py): the share
# of the topic's words other than its action a sentence must carry, how close to the topic a
# sentence must be to carry its action in other words than the topic's, and how close the
# sentence (or its chunk) must be to the topic at all.
MIN_OBJECT_COVERAGE, MIN_ACTION_SEMANTIC, MIN_SUPPORT_DENSE = status_thresholds()
SPEAKS_RATIO = 0.5  # a later document decides if it carries this share of the force's best
RIVAL_MARGIN = 0.1  # another compared topic claims a sentence it carries this much better
MIN_RECOMMENDATION_MATCH = 0.6  # a deferral speaks to a topic when the recommendation it answers is about it
COMPARE_K = 16  # chunks per force: enough to reach a later document behind an earlier one
MAX_CITATIONS = 3
NEAR_MISSES = 3
NEGATION_REACH = 4  # a negation is of the action when the action word follows within this many words
CITE_RATIO = 0.75  # a further citation carries this share of what the deciding sentence carries
MIN_SENTENCE_CHARS = 25
# Within the deciding document, which status wins when its sentences differ (module docstring, 4).
_PRECEDENCE = [Status.declined, Status.done, Status.in_progress, Status.planned]


@dataclass
class Support:
    """A sentence that speaks to the topic, how much of it it carries, and what it says."""

    evidence: Evidence
    coverage: float
    answers: Evidence | None = None  # the recommendation a deferral responds to
    cue: Cue | None = None


@dataclass
class Judgement:
    """One force on one topic: the status, the sentences that prove it (the deciding one
    first), their date, and the phrase that decided."""

    status: Status
    support: list[Support] = field(default_factory=list)
    date: date | None = None
    cue: str | None = None
    near: list[Evidence] = field(default_factory=list)  # not mentioned: the closest sentences, which did not speak
    speaking: list[Support] = field(default_factory=list)  # every sentence that spoke, of any document and status
    deferred: bool = False  # declined by leaving it to a national body, not by refusing

    @property
    def evidence(self) -> list[Evidence]:
        out = []
        for s in self.support:
            out.append(s.evidence)
            if s.answers is not None:
                out.append(s.answers)
        return out


# Attitudes are no action: "The Constabulary recognises the importance of recording breaches".
_ATTITUDE = re.compile(
    r"""^\W*(?:\d+(?:\.\d+)*\.?\s+)?(?:the\s+|our\s+)?[\w\ ]{0,40}?\b
    (?:recognises|recognise|acknowledges|understands|accepts|appreciates|notes|welcomes|supports)\s+(?:the\s+)?
    (?:importance|need|value|findings|recommendations?|report)\b""",
    re.I | re.VERBOSE,
)
_NEW_RECOMMENDATION = re.compile(
    r"^\W*(?:Recommendation|Area\s+for\s+improvement|AFI|Within\s+\w+\s+months|We\s+recommend|By\s+(?:\w+\s+)?\d{4})\b",
    re.I,
)


_TITLE_CHARS = 100  # a title is a few words (evidence.MAX_TITLE_WORDS): longer text is read no further


def _no_statement(text: str) -> bool:
    """A heading ("6. AUDIT OPINION"; run in: "Stalking Protection Orders." before its
    paragraph) or a question ("Question 1: Has the force audited ...?"): neither says what a
    force did. (A row's one-word status cell is read as a piece of its row, not here.)"""
    if is_heading(text) or is_question(text):
        return True
    # the length test first: a force question reads thousands of sentences
    return len(text) <= _TITLE_CHARS and len(text.split()) >= MIN_STATEMENT_WORDS and is_title(text)


def _quoted_back(text: str) -> bool:
    return is_recommendation(text) or reports_no_force_action(text)


_CELL = re.compile(r"\s*[|\t]\s*")
# A sentence that refers back to the one before it for what it is about: "We will commission an
# audit of the recording of these crimes".
_REFERS_BACK = re.compile(r"\b(?:these|this|those|such|them|it|they)\b", re.I)


def _own_words(text: str) -> str:
    """The sentence without the table cells that quote a recommendation back (a tracker row:
    "Ref | Chief constables should ... | PINs withdrawn on 01/12/2017 | Complete")."""
    if "\t" not in text and "|" not in text:
        return text
    cells = [c for c in _CELL.split(text) if c.strip()]
    return " | ".join(c for c in cells if not is_recommendation(c) and not is_quoted_recommendation(c))


def _phrases(synonyms: Iterable[str]) -> list[tuple[str, ...]]:
    """Synonyms of two or more content words, as stem sequences: a sentence that says one
    (words in that order, side by side) speaks to the topic."""
    return [seq for seq in map(stem_sequence, synonyms) if len(seq) >= 2]


def _says(sequence: tuple[str, ...], phrase: tuple[str, ...]) -> bool:
    n = len(phrase)
    return any(sequence[i : i + n] == phrase for i in range(len(sequence) - n + 1))


def _following(snap: Snapshot | None, ev: Evidence, limit: int = 6) -> Iterator[Evidence]:
    """The sentences after `ev` in its document (the rest of its chunk, then the next chunk)."""
    sentences = [(ev.chunk, s) for s in ev.chunk.sentences if s.start > ev.sentence.start]
    if snap is not None and len(sentences) < limit:
        row = snap.row_of.get(ev.chunk.chunk_id)
        if row is not None and row + 1 < len(snap.chunks) and snap.chunks[row + 1].doc_id == ev.chunk.doc_id:
            nxt = snap.chunks[row + 1]
            sentences += [(nxt, s) for s in nxt.sentences]
    for chunk, s in sentences[:limit]:
        yield Evidence(chunk, ev.doc, s, 0.0, ev.dense, ev.score)


def _refusal(text: str) -> bool:
    """ "The force does not accept this recommendation", "will not be taken forward"."""
    found = explain(text)
    return found is not None and found.status is Status.declined


def _deferrals_answering(rec: Evidence, snap: Snapshot | None) -> list[Evidence]:
    """The response that declines recommendation `rec`: a deferral to a national body ("This
    recommendation is addressed to the NPCC lead", "will await further information") or a
    refusal ("The force does not accept this recommendation"), if the response is one."""
    out = []
    for ev in _following(snap, rec):
        text = ev.sentence.text
        if is_deferral(text) or _refusal(text):
            out.append(ev)
        elif out or _NEW_RECOMMENDATION.search(text):
            break  # the next recommendation
        elif _quoted_back(text):
            continue  # the recommendation goes on ("Following this review, the NPCC lead should ...")
        elif len(text) >= 40:
            break  # a substantive response: not a deferral
    return out


LEGEND_PAIRS = 2


def _speaks(ev: Evidence, terms: Terms, text: str, things: str = "") -> bool:
    """Whether the sentence names the topic's action (in its words, near them, or in meaning)
    and what it was done to: most of the topic's other words, read with the sentence before
    when this one refers back to it ("an audit of the recording of these crimes"). `things`:
    the text with the recommendation a tracker's row answers, which may name what the action
    was done to, never the action."""
    close = ev.features.get("semantic", 0.0) >= MIN_ACTION_SEMANTIC  # the topic in other words
    if not (carries_action(terms, text) or close):
        return has_the_thing(terms, text)
    target = terms.things()
    if not target or close:
        return True
    # the action is carried already: one object word may be enough ("accept this recommendation")
    things = things or text
    got = max(
        sentence_coverage(target, text, least=1),
        coverage(target, things, least=1) if ev.context or ev.asked else 0.0,
    )
    if got >= MIN_OBJECT_COVERAGE:
        return True
    return (
        bool(_REFERS_BACK.search(text))
        and coverage(target, f"{previous_sentence(ev)} {text}", 1) >= MIN_OBJECT_COVERAGE
    )


def supporting(
    evidence: list[Evidence],
    terms: Terms,
    synonyms: Iterable[str] = (),
    snap: Snapshot | None = None,
    rivals: Sequence[dict[str, float]] = (),
) -> list[Support]:
    """The sentences of `evidence` that speak to the topic, best first (module docstring, 2)."""
    phrases = _phrases(synonyms)
    out, seen, recommendations = [], set(), []
    # the reply under a question the document was asked is about what the question asks
    # ("1. Has the force checked how breaches are recorded?" / "The audit has started but ..."),
    # read before the same sentence on its own
    wholes = [
        replace(reply, context=ev.sentence.text)
        for ev in evidence
        if is_question(ev.sentence.text) and (reply := answer_below(ev, snap)) is not None
    ]
    wholes += [ev for ev in evidence if not _no_statement(ev.sentence.text)]
    for ev in (piece for whole in wholes for piece in pieces(whole, snap)):
        key = (ev.doc.doc_id, ev.sentence.start)
        short = len(ev.sentence.text) < MIN_SENTENCE_CHARS and not ev.context  # a row's "COMPLETE" is read
        close = max(ev.dense, ev.features.get("semantic", 0.0))  # the chunk, or the sentence itself
        if key in seen or short or close < MIN_SUPPORT_DENSE:
            continue
        seen.add(key)
        text = ev.sentence.text
        if text.count("=") >= LEGEND_PAIRS:
            continue  # a table's key ("GREEN = on track; RED = off track") defines words, it reports nothing
        if coverage(terms, f"{ev.asked} {ev.context} {text}") < MIN_SUPPORT_COVERAGE:
            continue  # the cheap test first: no clause of it can carry more than all of it
        in_table = "\t" in text or "|" in text  # a row: its recommendation cell is left out below
        if not in_table and _quoted_back(text) and (is_recommendation(text) or is_quoted_recommendation(text)):
            recommendations.append((ev, sentence_coverage(terms, text)))
            continue
        own = without_questions(_own_words(text))
        about = f"{ev.context} | {own}" if ev.context else own  # a tracker's update is about its row's action
        # ... or about the recommendation it tracks: its words count, but the action must be the row's own
        tracked = f"{ev.asked} | {about}" if ev.asked else about
        got = max(sentence_coverage(terms, own), coverage(terms, tracked) if ev.context or ev.asked else 0.0)
        if got < MIN_SUPPORT_COVERAGE and phrases and any(_says(stem_sequence(about), p) for p in phrases):
            got = MIN_SUPPORT_COVERAGE
        if got < MIN_SUPPORT_COVERAGE or not _speaks(ev, terms, about, things=tracked):
            continue
        if document_lacks(terms, ev.doc, snap) or _rival_claims(rivals, terms, about):
            continue
        if not _quoted_back(own) and not _ATTITUDE.search(own):
            cue = _cue(own, terms, ev.context)
            out.append(Support(ev, got, cue=None if cue and past_deadline(cue, ev.doc.meta.date) else cue))
    out += _deferrals(recommendations, snap)
    out.sort(key=lambda s: (-s.coverage, -s.evidence.score))
    return out


def _deferrals(recommendations: list[tuple[Evidence, float]], snap: Snapshot | None) -> list[Support]:
    """A deferral answers the recommendation it follows; when a document quotes several that
    share the topic's words, the topic is the one that matches best."""
    best_in_doc: dict[str, float] = {}
    for ev, got in recommendations:
        best_in_doc[ev.doc.doc_id] = max(got, best_in_doc.get(ev.doc.doc_id, 0.0))
    out, answered = [], set()
    for ev, got in recommendations:
        if got < MIN_RECOMMENDATION_MATCH or got < best_in_doc[ev.doc.doc_id] - 0.1:
            continue
        for answer in _deferrals_answering(ev, snap):
            key = (answer.doc.doc_id, answer.sentence.start)
            if key not in answered:
                answered.add(key)
                cue = explain(answer.sentence.text)
                out.append(Support(answer, got, answers=ev, cue=cue))
    return out


def _rival_claims(rivals: Sequence[dict[str, float]], terms: dict[str, float], text: str) -> bool:
    """Whether another topic of the same comparison speaks clearly more (RIVAL_MARGIN) to
    the clause that carries this topic: then the sentence counts for that topic only."""
    if not rivals:
        return False
    parts = [text[a:b] for a, b in clauses(text)]
    got, part = max(((coverage(terms, p), p) for p in parts), key=lambda x: x[0])
    return any(coverage(other, part) >= got + RIVAL_MARGIN for other in rivals)


def _cue(text: str, terms: Terms, context: str = "") -> Cue | None:
    """The cue that gives the sentence's status. A verb that is one of the topic's own words
    describes what the action was done to, not how far it went: in "an audit of how breaches
    have been recorded is under way" the audit is under way. A negation of the action in any
    clause decides: "No audit has been carried out, because ..." is not done."""
    objects = set(terms.object_terms())
    for a, b in clauses(text):
        clause = text[a:b]
        for negation in (c for c in cues(clause) if c.negated):
            # the negation must be of the action itself: "has not yet audited", "No audit ...
            # has been carried out", a row's "NOT STARTED"; not "has not yet amounted to"
            after = " ".join(clause[negation.end :].split()[:NEGATION_REACH])
            row_status = bool(context) and len(clause.split()) <= 3
            # ("have not yet had a stalking input": a near-synonym of "trained" is the action too)
            if (terms.actions and carries_action(terms, f"{negation.phrase} {after}")) or (
                row_status and carries_action(terms, context)
            ):
                return negation
    # a negation of something else ("notices have not been issued since 2018") says the force
    # stopped it: no cue of its own
    return explain(
        text, lambda clause: coverage(terms, clause), ignore=lambda c: c.negated or bool(stems(c.phrase) & objects)
    )


def status_of(support: Support) -> Status:
    if support.answers is not None:
        return Status.declined
    return support.cue.status if support.cue else Status.done


def _names_action(support: Support, terms: Terms) -> bool:
    """Whether the sentence names the topic's action, itself or through the recommendation it
    answers ("The force does not accept this recommendation" after "... withdraw PINs")."""
    answered = support.answers.sentence.text if support.answers is not None else ""
    words = terms.carried(f"{support.evidence.context} {support.evidence.sentence.text} {answered}")
    return bool(terms.actions & words)


def _defers(support: Support) -> bool:
    """A response that leaves the recommendation to a national body (not a refusal)."""
    return support.answers is not None and is_deferral(support.evidence.sentence.text)


def _stated(support: Support) -> bool:
    """Whether a status is said by a verb or a phrase, not only by a plain statement of fact."""
    return support.cue is not None


def _deciding_document(support: list[Support]) -> str:
    best = support[0].coverage
    speaking: dict[str, Support] = {}
    for s in support:  # best first, so the first per document is its best
        if s.coverage >= SPEAKS_RATIO * best:
            speaking.setdefault(s.evidence.doc.doc_id, s)
    # Latest date first; undated documents after every dated one; then the stronger.
    return max(
        speaking.values(), key=lambda s: (s.evidence.doc.meta.date or date.min, s.coverage, s.evidence.score)
    ).evidence.doc.doc_id


_QUOTED = re.compile(r"[“\"]([^”\"]+)(?:[”\"]|$)")


def _quoted_remark(text: str) -> bool:
    """Whether most of the sentence is inside quotation marks: someone's remark, reported."""
    inside = sum(len(m.group(1)) for m in _QUOTED.finditer(text))
    return inside * 2 > len(text)


def _decided(own: list[Support], terms: Terms) -> tuple[Status, list[Support]]:
    """(status, its sentences best first) of one document's supporting sentences: a refusal,
    else what its verbs say was done, is under way or is planned (module docstring, 4), else
    what it states as plain fact, else a deferral. Sentences that name the topic's own action
    speak before those that name a neighbouring one ("began an audit ... still in progress"
    decides over "every breach has been reviewed"). The document's own report speaks before a
    remark it quotes ("told me: \"Every order we obtain is a victim who ...\"")."""
    own = [s for s in own if not _quoted_remark(s.evidence.sentence.text)] or own
    exact = [s for s in own if _names_action(s, terms)]
    own = exact or own
    answered = [s for s in own if not _defers(s)]
    for status in _PRECEDENCE:
        saying = [s for s in answered if _stated(s) and status_of(s) is status]
        if saying:
            return status, saying
    if answered:
        return Status.done, answered
    return Status.declined, own  # only deferrals to a national body


def judge(
    evidence: list[Evidence],
    terms: Terms,
    synonyms: Iterable[str] = (),
    snap: Snapshot | None = None,
    rivals: Sequence[dict[str, float]] = (),
) -> Judgement:
    """The status one force's evidence gives a topic (module docstring, 2-4), with the
    sentences that prove it: the deciding one first, then up to MAX_CITATIONS - 1 others of
    the same document that speak nearly as much to the topic and say the same."""
    support = supporting(evidence, terms, synonyms, snap, rivals)
    if not support:
        # the closest in words and in meaning both: a passage on the topic that did not speak to it
        near = sorted(evidence, key=lambda e: -(e.coverage + e.features.get("semantic", 0.0)))[:NEAR_MISSES]
        return Judgement(Status.not_mentioned, near=near)
    # What a force says it did outranks a response that leaves the recommendation to a
    # national body, whatever their dates: a deferral decides only when nothing else speaks.
    support = [s for s in support if not _defers(s)] or support
    doc_id = _deciding_document(support)
    status, saying = _decided([s for s in support if s.evidence.doc.doc_id == doc_id], terms)
    best = saying[0]
    chosen, texts = [best], {" ".join(best.evidence.sentence.text.lower().split())}
    for s in saying[1:]:
        text = " ".join(s.evidence.sentence.text.lower().split())
        if len(chosen) >= MAX_CITATIONS or s.coverage < CITE_RATIO * best.coverage:
            break
        if text not in texts:
            texts.add(text)
            chosen.append(s)
    chosen = [replace(c, evidence=_with_update(c.evidence, snap)) for c in chosen]
    if status in (Status.in_progress, Status.planned):
        chosen = [replace(c, evidence=_with_when(c.evidence)) for c in chosen]
    return Judgement(
        status,
        chosen,
        best.evidence.doc.meta.date,
        best.cue.phrase if best.cue else None,
        deferred=_defers(best),
        speaking=support,
    )


def _with_when(ev: Evidence) -> Evidence:
    """Unfinished work quoted with the next sentence of its paragraph when that one says when
    it will be done ("So far 150 of 340 have been checked. Completion is expected by
    31.08.2020"): when is what a reader asks next."""
    if has_specific_date(ev.sentence.text):  # "from 2019" is the period the work covers, no when
        return ev
    longer = with_continuation(ev, paragraph=True)
    return longer if has_date(longer.sentence.text) else ev


STATUS_CELL_WORDS = 3  # a row's RAG or status cell: "COMPLETE", "NOT STARTED", "Amber"


def _with_update(ev: Evidence, snap: Snapshot | None) -> Evidence:
    """A row's bare status cell ("COMPLETE") quoted with the cell after it, which says what
    was done ("PINs withdrawn on 31/10/2017 ..."): the status alone proves nothing to a reader."""
    if not ev.context or len(ev.sentence.text.split()) > STATUS_CELL_WORDS:
        return ev
    row = next((s for s in ev.chunk.sentences if s.start <= ev.sentence.start and ev.sentence.end <= s.end), None)
    if row is None:
        return ev
    cells = pieces(Evidence(ev.chunk, ev.doc, row, ev.coverage, ev.dense, ev.score, ev.features), snap)
    after = [p.sentence for p in cells if p.sentence.start >= ev.sentence.end]
    if not after:
        return ev
    end = after[0].end
    merged = Sentence(text=ev.doc.text[ev.sentence.start : end], start=ev.sentence.start, end=end)
    return replace(ev, sentence=merged)


def select_status(
    evidence: list[Evidence], terms: Terms, synonyms: Iterable[str] = (), snap: Snapshot | None = None
) -> tuple[Status, list[Evidence], date | None]:
    """(status, the evidence that proves it, its document date), exactly as `judge` decides.
    `not_mentioned` comes with no evidence."""
    j = judge(evidence, terms, synonyms, snap)
    return j.status, j.evidence, j.date


def force_evidence(retriever: Retriever, query: Query, k: int) -> dict[str, list[Evidence]]:
    """Every force's own best sentences for the query, each force ranked on its own chunks,
    with each sentence's closeness to the query (`features["semantic"]`)."""
    snap = retriever.snapshot()
    terms = topic_terms(snap, query.topic)
    vector = retriever.query_vector(query.text)
    per_force = retriever.search_per_force(query.text, query.filters, k=k)
    return {force: score_sentences(snap, hits, terms, query_vector=vector) for force, hits in per_force.items()}


def judge_forces(
    retriever: Retriever, query: Query, synonyms: Iterable[str] = (), k: int | None = None, rivals: Sequence[str] = ()
) -> dict[str, Judgement]:
    """Every force's judgement on the topic of `query` (an `understand()` Query; its
    filters choose the forces and documents): one embedding and one score pass for all
    forces. `rivals`: the other topics compared beside this one."""
    snap = retriever.snapshot()
    per_force = force_evidence(retriever, query, k or COMPARE_K)
    terms = topic_terms(snap, query.topic)
    rival_terms = [topic_terms(snap, understand(r, kinds=False).topic) for r in rivals]
    return {force: judge(evidence, terms, synonyms, snap, rival_terms) for force, evidence in per_force.items()}


def topic_query(topic: str, forces: list[str], synonyms: Iterable[str] = ()) -> Query:
    """The retrieval query for a topic: its words plus its synonyms, about forces, limited
    to `forces` (dates named in the topic, "in 2019", still filter; a kind of document it
    names, "an action plan", is what was done, never a filter)."""
    query = understand(topic, kinds=False)  # "develop an action plan" is the topic, not a filter
    query.about_forces = True
    query.text = " ".join([topic, *synonyms])
    query.filters = query.filters.model_copy(update={"forces": list(forces)})
    return query
