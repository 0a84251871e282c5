"""Status with evidence: what one force's own passages say it did about a topic (done, in
progress, planned, declined, or not mentioned), and the sentences that prove it. `ask`'s
force questions and the compare matrix both decide here, so the chat and the matrix agree.

How a force is judged (docs/compare.md has the rules in full and their measurements):
1. One retrieval per topic: the topic (plus its synonyms) is embedded once and scored once
   against every chunk; each force then ranks its own chunks (`force_evidence`).
2. Supporting sentences. A sentence speaks to the topic when one of its clauses carries
   MIN_SUPPORT_COVERAGE of the topic's idf-weighted words (near-synonyms count part; names
   of other things, "the Stalking Protection Act", left out), its chunk is
   MIN_SUPPORT_DENSE close to the topic, its document uses every weighty topic word
   somewhere (`document_lacks`), and no other topic of the same comparison claims it
   clearly more (`_rival_claims`). What a force was asked or told is no evidence of what it
   did: recommendations and inspectorate findings quoted back, statements about the
   document itself and attitudes ("recognises the importance of") never support a status.
   A response that leaves a recommendation to a national body ("This recommendation is
   addressed to the NPCC lead") supports `declined` when that recommendation is about the
   topic. No supporting sentence: `not_mentioned`, with no citation, never a guess.
3. The latest-dated document that speaks decides; undated documents rank after dated
   ones (they cannot be placed in time). A document speaks when its best sentence carries
   SPEAKS_RATIO of what the force's best sentence on the topic carries, so that a passing
   phrase in a later paper does not overrule an earlier full answer.
4. In that document the best supporting sentence gives the status through the cue
   classifier (assistant.answer.cues), reading first the clause that carries the topic.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from assistant.answer.cues import clauses, explain, is_deferral, is_quoted_recommendation, reports_no_force_action
from assistant.answer.evidence import (
    SYNONYM_CREDIT,
    Evidence,
    is_recommendation,
    near_synonyms,
    question_terms,
    score_sentences,
)
from assistant.answer.retrieve import Retriever
from assistant.answer.understand import Query, understand
from assistant.types import Status
from ingest.keyword import tokenize

# Calibrated on evals/compare-seeds.yaml and generated corpora (docs/compare.md).

MIN_SUPPORT_COVERAGE = 0.38  # share of the topic's weighted words a clause must carry
MIN_SUPPORT_DENSE = 0.20  # cosine of the sentence's chunk to the topic
SPEAKS_RATIO = 0.5  # a later document decides if it carries this share of the force's best
HEAVY_TERM_SHARE = 0.25  # a topic word this weighty must appear somewhere in the document
RIVAL_MARGIN = 0.1  # another compared topic claims a sentence it carries this much better
MIN_RECOMMENDATION_MATCH = 0.6  # a deferral speaks to a topic when the recommendation it answers is about it
COMPARE_K = 16  # chunks per force: enough to reach a later document behind an earlier one
MAX_CITATIONS = 3
CITE_RATIO = 0.75  # a further citation carries this share of what the deciding sentence carries
MIN_SENTENCE_CHARS = 25


# Near-synonyms the compare judgement adds to `evidence._NEAR_SYNONYMS` (same partial credit):
# words police responses use for the same action or thing.
_COMPARE_SYNONYMS = [
    "definition description",
    "set establish launch introduce create begin begun start",
    "appoint recruit",
    "withdraw withdrew withdrawn remove phase",
    "implement embed",
    "publish produce",
    "fund commission secure",
    "advocate advocacy",
]


@lru_cache(maxsize=1)
def _synonym_table() -> dict[str, frozenset[str]]:
    """Stem -> its near-synonyms: those of `evidence._NEAR_SYNONYMS` plus every
    _COMPARE_SYNONYMS group the stem is in (not transitive: "introduce" is near both
    "adopt" and "launch", which are not near each other)."""
    table = {k: set(v) for k, v in near_synonyms().items()}
    for group in _COMPARE_SYNONYMS:
        stems = set(tokenize([group])[0])
        for stem in stems:
            table.setdefault(stem, set()).update(stems - {stem})
    return {k: frozenset(v) for k, v in table.items()}


@lru_cache(maxsize=65536)
def _stems(text: str) -> frozenset[str]:
    return frozenset(tokenize([text])[0])


def coverage(terms: dict[str, float], text: str) -> float:
    """Share of the topic's weighted terms that `text` carries (near-synonyms count part).
    One word is no match for a topic of several, however rare: "civil orders" does not speak
    to "reviewed the use of stalking protection orders"."""
    stems = _stems(text)
    total = sum(terms.values()) or 1.0
    table = _synonym_table()
    got, carried = 0.0, 0
    for term, weight in terms.items():
        if term in stems:
            got, carried = got + weight, carried + 1
        elif table.get(term, frozenset()) & stems:
            got, carried = got + SYNONYM_CREDIT * weight, carried + 1
    if carried < min(2, len(terms)):
        return 0.0
    return got / total


# A topic is carried inside one clause: "establishment of Single Points of Contact, ...,
# implementation of the joint protocol" does not speak to "adopt a single definition".
_COVERAGE_BREAK = re.compile(r"\s*[;:,()]\s*|\s+[–—]\s+")


@lru_cache(maxsize=65536)
def _coverage_clauses(text: str) -> tuple[str, ...]:
    return tuple(p for p in _COVERAGE_BREAK.split(text) if p and p.strip())


def sentence_coverage(terms: dict[str, float], text: str) -> float:
    """The coverage of a sentence's best clause, names of other things left out
    (`_foreign_names`)."""
    got = max((coverage(terms, clause) for clause in _coverage_clauses(text)), default=0.0)
    if got < MIN_SUPPORT_COVERAGE:
        return got  # leaving names out only lowers it
    names = _foreign_names(terms, text)
    for name in names:
        text = text.replace(name, " ")
    return max((coverage(terms, clause) for clause in _coverage_clauses(text)), default=0.0) if names else got


_INNER_CAPITAL = re.compile(r".\b[A-Z]")
# A name: capitalised words in a row, joined perhaps by "of", "and", "&", "for", "on", "the".
_NAME = re.compile(r"\b[A-Z][\w'’-]*(?:\s+(?:(?:of|and|&|for|on|the)\s+)*[A-Z][\w'’-]*)+")


def _foreign_names(terms: dict[str, float], text: str) -> list[str]:
    """Names in `text` that carry a topic word but end in another word: they name something
    else. "The Stalking Protection Act 2019 introduced new civil orders" does not speak of
    "stalking protection orders", nor "the Public Protection Board" of protection; "Police
    Information Notices" does speak of notices."""
    if not _INNER_CAPITAL.search(text):
        return []
    table = _synonym_table()
    out = []
    for m in _NAME.finditer(text):
        stems = _sequence(m.group(0))
        if len(stems) < 2 or not terms.keys() & set(stems[:-1]):
            continue
        head = stems[-1]
        if head not in terms and not (table.get(head, frozenset()) & terms.keys()):
            out.append(m.group(0))
    return out


@lru_cache(maxsize=65536)
def _sequence(text: str) -> tuple[str, ...]:
    return tuple(tokenize([text])[0])


def _doc_stems(doc) -> frozenset[str]:
    return _doc_stems_cached(doc.doc_id, doc.content_hash, doc.text)


@lru_cache(maxsize=2048)
def _doc_stems_cached(doc_id: str, content_hash: str, text: str) -> frozenset[str]:
    return frozenset(tokenize([text])[0])


def document_lacks(terms: dict[str, float], doc) -> str | None:
    """A weighty topic term (HEAVY_TERM_SHARE of the topic's weight or more, its action
    aside) that the whole document never uses, nor a near-synonym of it: then no sentence
    of the document speaks to the topic ("appointed a fraud single point of contact" in a
    response on stalking that never says "fraud")."""
    total = sum(terms.values()) or 1.0
    action = getattr(terms, "action", None)
    stems = None
    table = _synonym_table()
    for term, weight in terms.items():
        if term == action or weight < HEAVY_TERM_SHARE * total:
            continue
        stems = stems if stems is not None else _doc_stems(doc)
        if term not in stems and not (table.get(term, frozenset()) & stems):
            return term
    return None


@lru_cache(maxsize=65536)
def _quoted_back(text: str) -> bool:
    return is_recommendation(text) or reports_no_force_action(text)


# Attitudes are no action: "The Constabulary recognises the importance of recording breaches".
_ATTITUDE_RE = re.compile(
    r"^\W*(?:\d+(?:\.\d+)*\.?\s+)?(?:the\s+|our\s+)?[\w ]{0,40}?\b(?:recognises|recognise|acknowledges|"
    r"understands|accepts|appreciates|notes|welcomes|supports)\s+(?:the\s+)?(?:importance|need|value|"
    r"findings|recommendations?|report)\b",
    re.I,
)


@lru_cache(maxsize=65536)
def _attitude(text: str) -> bool:
    return bool(_ATTITUDE_RE.search(text))


@lru_cache(maxsize=65536)
def _deferral(text: str) -> bool:
    return is_deferral(text)


# Function words the keyword tokenizer keeps ("how", "through"): they carry no topic.
_FUNCTION = frozenset(
    tokenize(
        [
            "how through via whether within across upon among including using when where what "
            "which who whom whose why can could should would may might must has have had been "
            "being do does did done also so very more most other others its our we you up out"
        ]
    )[0]
)


class Terms(dict):
    """A topic's weighted stems, and its action: the first of them ("audited how breaches
    of orders are recorded" -> "audit")."""

    action: str | None = None


def topic_terms(snap, topic: str) -> Terms:
    """The topic's stems weighted by idf (`evidence.question_terms`), without function
    words; a word neither the corpus nor its near-synonyms use weighs as much as the rarest
    word it does use (a topic about "fraud" over responses that never say it: see
    `document_lacks`)."""
    weights = {t: w for t, w in question_terms(snap, topic).items() if t not in _FUNCTION}
    table = _synonym_table()
    unseen = {t for t in weights if snap.keyword.df(t) == 0 and not any(snap.keyword.df(x) for x in table.get(t, ()))}
    rarest = max((w for t, w in weights.items() if t not in unseen), default=1.0)
    terms = Terms((t, rarest if t in unseen else w) for t, w in weights.items())
    terms.action = next(iter(terms), None)
    return terms


@dataclass
class Support:
    """A sentence that speaks to the topic, and how much of it it carries."""

    evidence: Evidence
    coverage: float
    answers: Evidence | None = None  # the recommendation a deferral responds to


@dataclass
class Judgement:
    """One force on one topic: the status, the sentences that prove it, their date."""

    status: Status
    support: list[Support] = field(default_factory=list)
    date: date | None = None
    cue: str | None = None

    @property
    def evidence(self) -> list[Evidence]:
        out = []
        for s in self.support:
            out.append(s.evidence)
            if s.answers is not None:
                out.append(s.answers)
        return out


def _phrases(synonyms: Iterable[str]) -> list[tuple[str, ...]]:
    """Synonyms of two or more content words, as stem sequences: a sentence that says one
    (words in that order, side by side) speaks to the topic. A one-word synonym such as
    "audit" is too loose to count on its own."""
    return [stems for stems in map(_sequence, synonyms) if len(stems) >= 2]


def _says(sequence: tuple[str, ...], phrase: tuple[str, ...]) -> bool:
    n = len(phrase)
    return any(sequence[i : i + n] == phrase for i in range(len(sequence) - n + 1))


def _following(snap, ev: Evidence, limit: int = 6):
    """The sentences after `ev` in its document (the rest of its chunk, then the next chunk),
    as Evidence, up to `limit`."""
    sentences = [(ev.chunk, s) for s in ev.chunk.sentences if s.start > ev.sentence.start]
    if snap is not None and len(sentences) < limit:
        row = snap.row_of.get(ev.chunk.chunk_id)
        if row is not None and row + 1 < len(snap.chunks) and snap.chunks[row + 1].doc_id == ev.chunk.doc_id:
            nxt = snap.chunks[row + 1]
            sentences += [(nxt, s) for s in nxt.sentences]
    for chunk, s in sentences[:limit]:
        yield Evidence(chunk, ev.doc, s, 0.0, ev.dense, ev.score)


_NEW_RECOMMENDATION = re.compile(
    r"^\W*(?:Recommendation|Area\s+for\s+improvement|AFI|Within\s+\w+\s+months|We\s+recommend|"
    r"By\s+(?:\w+\s+)?\d{4})\b",
    re.I,
)


def _deferrals_answering(rec: Evidence, snap) -> list[Evidence]:
    """The deferral ("This recommendation is addressed to the NPCC lead", "will await
    further information") that answers recommendation `rec`, if its response is one."""
    out = []
    for ev in _following(snap, rec):
        text = ev.sentence.text
        if _deferral(text):
            out.append(ev)
        elif out or _NEW_RECOMMENDATION.search(text):
            break  # the next recommendation
        elif _quoted_back(text):
            continue  # the recommendation goes on ("Following this review, the NPCC lead should ...")
        elif len(text) >= 40:
            break  # a substantive response: not a deferral
    return out


def supporting(
    evidence: list[Evidence],
    terms: dict[str, float],
    synonyms: Iterable[str] = (),
    snap=None,
    rivals: Sequence[dict[str, float]] = (),
) -> list[Support]:
    """The sentences of `evidence` that speak to the topic, best first (module docstring, 2).
    `snap` lets a recommendation at the end of a chunk find its answer in the next chunk;
    `rivals` are the terms of the other topics compared with this one (`_rival_claims`)."""
    phrases = _phrases(synonyms)
    out, seen, recommendations = [], set(), []
    for ev in evidence:
        text = ev.sentence.text
        key = (ev.doc.doc_id, ev.sentence.start)
        if key in seen or len(text) < MIN_SENTENCE_CHARS or ev.dense < MIN_SUPPORT_DENSE:
            continue
        seen.add(key)
        got = sentence_coverage(terms, text)
        if got < MIN_SUPPORT_COVERAGE and phrases and any(_says(_sequence(text), p) for p in phrases):
            got = MIN_SUPPORT_COVERAGE
        if got < MIN_SUPPORT_COVERAGE or document_lacks(terms, ev.doc) or _rival_claims(rivals, terms, text):
            continue
        if not _quoted_back(text):
            if not _attitude(text):
                out.append(Support(ev, got))
        elif is_recommendation(text) or is_quoted_recommendation(text):
            recommendations.append((ev, got))
    # A deferral answers the recommendation it follows; when a document quotes several that
    # share the topic's words, the topic is the one that matches best.
    best_in_doc: dict[str, float] = {}
    answered: set[tuple[str, int]] = set()
    for ev, got in recommendations:
        best_in_doc[ev.doc.doc_id] = max(got, best_in_doc.get(ev.doc.doc_id, 0.0))
    for ev, got in recommendations:
        if got < MIN_RECOMMENDATION_MATCH or got < best_in_doc[ev.doc.doc_id] - 0.1:
            continue
        for answer in _deferrals_answering(ev, snap):
            key = (answer.doc.doc_id, answer.sentence.start)
            if key not in answered:
                answered.add(key)
                out.append(Support(answer, got, answers=ev))
    out.sort(key=lambda s: (-s.coverage, -s.evidence.score))
    return out


def _rival_claims(rivals: Sequence[dict[str, float]], terms: dict[str, float], text: str) -> bool:
    """Whether another topic of the same comparison speaks clearly more (RIVAL_MARGIN) to
    the clause that carries this topic: then the sentence counts for that topic only.
    Compared side by side, "the force now records breaches of orders as stalking crimes"
    answers "recorded breaches of orders as stalking crimes", not "audited how breaches of
    orders are recorded"; a list ("termination of PINs, establishment of Single Points of
    Contact, ...") answers each topic in its own clause."""
    if not rivals:
        return False
    parts = [text[a:b] for a, b in clauses(text)]
    scored = [(coverage(terms, p), p) for p in parts]
    got, part = max(scored, key=lambda x: x[0])
    return any(coverage(other, part) >= got + RIVAL_MARGIN for other in rivals)


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


def _status_of(support: Support, terms: dict[str, float]):
    """(status, cue phrase) of one supporting sentence."""
    text = support.evidence.sentence.text
    if support.answers is not None:
        found = explain(text)
        return Status.declined, found.phrase if found else None
    found = explain(text, lambda clause: coverage(terms, clause))
    return (found.status, found.phrase) if found else (Status.done, None)


def judge(
    evidence: list[Evidence],
    terms: dict[str, float],
    synonyms: Iterable[str] = (),
    snap=None,
    rivals: Sequence[dict[str, float]] = (),
) -> Judgement:
    """The status one force's evidence gives a topic (module docstring, 2-4), with the
    sentences that prove it: the deciding one first, then up to MAX_CITATIONS - 1 others of
    the same document that speak nearly as much to the topic and say the same."""
    support = supporting(evidence, terms, synonyms, snap, rivals)
    if not support:
        return Judgement(Status.not_mentioned)
    # What a force says it did outranks a response that leaves the recommendation to a
    # national body, whatever their dates: a deferral decides only when nothing else speaks.
    support = [s for s in support if s.answers is None] or support
    doc_id = _deciding_document(support)
    own = [s for s in support if s.evidence.doc.doc_id == doc_id]
    best = own[0]
    status, phrase = _status_of(best, terms)
    chosen, texts = [best], {" ".join(best.evidence.sentence.text.lower().split())}
    for s in own[1:]:
        key = " ".join(s.evidence.sentence.text.lower().split())
        if len(chosen) >= MAX_CITATIONS or s.coverage < CITE_RATIO * best.coverage:
            break
        if key not in texts and _status_of(s, terms)[0] is status:
            texts.add(key)
            chosen.append(s)
    return Judgement(status, chosen, best.evidence.doc.meta.date, phrase)


def select_status(
    evidence: list[Evidence], terms: dict[str, float], synonyms: Iterable[str] = (), snap=None
) -> tuple[Status, list[Evidence], date | None]:
    """(status, the evidence that proves it, its document date) for one force's evidence on
    a topic, exactly as `compare` decides a cell: `ask`'s force questions call this so that
    the chat and the matrix agree. `evidence` is one force's list from
    `force_evidence`; `terms` come from `topic_terms(snap, query.topic)`;
    `snap` (the retriever's snapshot) lets a recommendation answered in the next chunk be
    read. `not_mentioned` comes with no evidence."""
    j = judge(evidence, terms, synonyms, snap)
    return j.status, j.evidence, j.date


def force_evidence(retriever: Retriever, query: Query, k: int) -> dict[str, list[Evidence]]:
    """Every force's own best sentences for the query, each force ranked on its own chunks."""
    snap = retriever.snapshot()
    terms = question_terms(snap, query.topic)
    per_force = retriever.search_per_force(query.text, query.filters, k=k)
    return {force: score_sentences(snap, hits, terms) for force, hits in per_force.items()}


def judge_forces(
    retriever: Retriever, query: Query, synonyms: Iterable[str] = (), k: int | None = None, rivals: Sequence[str] = ()
) -> dict[str, Judgement]:
    """Every force's judgement on the topic of `query` (an `understand()` Query; its
    filters choose the forces and documents): one embedding and one score pass for all
    forces. `rivals`: the other topics compared beside this one."""
    snap = retriever.snapshot()
    per_force = force_evidence(retriever, query, k or COMPARE_K)
    terms = topic_terms(snap, query.topic)
    rival_terms = [topic_terms(snap, understand(r).topic) for r in rivals]
    return {force: judge(evidence, terms, synonyms, snap, rival_terms) for force, evidence in per_force.items()}


def topic_query(topic: str, forces: list[str], synonyms: Iterable[str] = ()) -> Query:
    """The retrieval query for a topic: its words plus its synonyms, about forces, limited
    to `forces` (dates named in the topic, "in 2019", still filter)."""
    query = understand(topic)
    query.about_forces = True
    query.text = " ".join([topic, *synonyms])
    query.filters = query.filters.model_copy(update={"forces": list(forces)})
    return query
