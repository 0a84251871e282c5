"""The extractive answerer: offline and deterministic. It quotes the sentences that answer,
verbatim, each with its citation; for force questions, one line per force whose own
passages support the claim; and it abstains when no sentence carries the question."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from assistant.answer.cues import classify_status
from assistant.answer.evidence import (
    Evidence,
    citation,
    distinct,
    has_count,
    has_date,
    has_person_name,
    is_recommendation,
    names_someone,
    question_terms,
    score_sentences,
    sentence_with,
    with_continuation,
)
from assistant.answer.retrieve import Retriever
from assistant.answer.snapshot import Snapshot
from assistant.answer.status import force_evidence, select_status, topic_terms
from assistant.answer.understand import Intent, Query
from assistant.answer.verify import escape_quoted_markers
from assistant.types import Citation, Status

# Calibrated on evals/questions.yaml (docs/abstention.md): a sentence must carry this share of
# the question's weighted vocabulary, and its chunk be this close, to count as an answer.
MIN_COVERAGE = 0.40
MIN_SUPPORT = 0.40  # 0.75 coverage + 0.25 dense: full coverage outweighs a distant chunk
MIN_FORCE_COVERAGE = 0.40
MIN_FORCE_DENSE = 0.25
RELATIVE_FORCE_COVERAGE = 0.5  # a force's evidence must carry half what the best force's does

STATUS_PHRASE = {
    Status.done: "done",
    Status.in_progress: "in progress",
    Status.planned: "planned",
    Status.declined: "declined / left to national bodies",
}


@dataclass
class Draft:
    """An answer before serialisation: text with [n] markers and the citations they name."""

    text: str
    citations: list[Citation] = field(default_factory=list)
    forces: list[str] = field(default_factory=list)
    abstained: bool = False


def support(ev: Evidence) -> float:
    return 0.75 * ev.coverage + 0.25 * ev.dense


def abstain(query: Query) -> Draft:
    scope = f" (filters: {query.filters.describe()})" if not query.filters.is_empty() else ""
    return Draft(
        text=f"The documents do not say{scope}: no passage in the corpus answers “{query.question}”.", abstained=True
    )


# What an answer of each kind must contain to be one.
_REQUIRED = {Intent.when: has_date, Intent.how_many: has_count, Intent.who: names_someone}
# "who wrote ...", "who is the PCC for ...": the author of a document, from its metadata
_AUTHORISH = re.compile(
    r"\b(?:wrote|written|write|signed|authored|author)\b|^\W*who (?:is|was) the (?:\w+ )?"
    r"(?:police and crime commissioner|pcc|commissioner)\b",
    re.I,
)
_DOCUMENT_DATE = re.compile(
    r"\b(?:write|wrote|written|send|sent|letter|paper|dated|publish|published|respond|"
    r"responded|reply|replied)\b",
    re.I,
)
MIN_SENTENCE_CHARS = 25  # headings, labels and address lines are no answer
TOP_DOC_DENSE = 0.30  # a document this close to "when did X write ...?" is the one it asks about


def _bonus(intent: Intent):
    required = _REQUIRED.get(intent)
    return (lambda text: 0.2 if required(text) else 0.0) if required else None


def _label(ev: Evidence) -> str:
    m = ev.doc.meta
    when = f", {m.date:%-d %B %Y}" if m.date else ""
    who = f"{m.force} " if m.force else ""
    return f"{who}{m.doc_type.value}{when}"


class ExtractiveAnswerer:
    name = "extractive"

    def __init__(self, retriever: Retriever):
        self.retriever = retriever

    def evidence(self, query: Query, k: int) -> list[Evidence]:
        hits = self.retriever.search(query.text, query.filters, k=k * 2)
        snap = self.retriever.snapshot()
        terms = question_terms(snap, query.topic)
        return score_sentences(snap, hits, terms, bonus=_bonus(query.intent), doc_ids=query.doc_ids)

    def answer(self, query: Query, k: int) -> Draft:
        if query.about_forces:
            return self.answer_forces(query, k)
        snap = self.retriever.snapshot()
        evidence = self.evidence(query, k)
        if query.doc_ids and not query.specific and query.intent in (Intent.when, Intent.who):
            if answer := self._from_metadata(snap, query, snap.documents.get(query.doc_ids[0])):
                return answer
        if query.intent is Intent.who and _AUTHORISH.search(query.question) and evidence:
            if answer := self._from_metadata(snap, query, evidence[0].doc):
                return answer
        top_doc = evidence[0].doc if evidence and evidence[0].dense >= TOP_DOC_DENSE else None
        evidence = [e for e in evidence if len(e.sentence.text) >= MIN_SENTENCE_CHARS]
        required = _REQUIRED.get(query.intent)
        if query.intent is Intent.who and re.search(r"\bname\b", query.question, re.I):
            required = has_person_name
        if required:
            evidence = [e for e in evidence if required(e.sentence.text)]
        if not evidence or evidence[0].coverage < MIN_COVERAGE or support(evidence[0]) < MIN_SUPPORT:
            if query.intent is Intent.when and _DOCUMENT_DATE.search(query.question) and top_doc is not None:
                # "When did X write to ...?": the document's own date line answers
                if answer := self._from_metadata(snap, query, top_doc):
                    return answer
            return abstain(query)
        best = evidence[0]
        chosen = [with_continuation(e) for e in distinct(evidence, 3) if e.score >= 0.7 * best.score]
        citations = [citation(i + 1, e) for i, e in enumerate(chosen)]
        lines = [
            escape_quoted_markers(f"- {_label(e)}: “{c.quote}” [{c.n}]")
            for e, c in zip(chosen, citations, strict=False)
        ]
        forces = sorted({c.force for c in citations if c.force in query.filters.forces})
        return Draft(text="\n".join(lines), citations=citations, forces=forces)

    def _from_metadata(self, snap: Snapshot, query: Query, doc) -> Draft | None:
        """ "When was that?" / "who wrote it?": the date or author of a document, cited at
        the line of the document that states it."""
        if doc is None:
            return None
        m = doc.meta
        name = m.title or doc.source
        if query.intent is Intent.when and m.date and (ev := next(self._date_sentences(snap, doc), None)):
            c = citation(1, ev)
            return Draft(text=f"{name} is dated {m.date:%-d %B %Y}: “{c.quote}” [1]", citations=[c])
        if query.intent is Intent.who and m.author_name:
            asked_role = re.search(r"\bchief constable\b", query.question, re.I)
            if asked_role and m.author_role is not None and m.author_role.value != "Chief Constable":
                return None  # asked for the Chief Constable; this document's author is someone else
            if ev := sentence_with(snap, doc, m.author_name):
                c = citation(1, ev)
                role = f", {m.author_role.value}" if m.author_role else ""
                return Draft(text=f"{name} was written by {m.author_name}{role}: “{c.quote}” [1]", citations=[c])
        return None

    @staticmethod
    def _date_sentences(snap: Snapshot, doc):
        for chunk in snap.chunks_of(doc.doc_id):
            for s in chunk.sentences:
                if has_date(s.text) and str(doc.meta.date.year) in s.text:
                    yield Evidence(chunk, doc, s, 1.0, 1.0, 1.0)

    def answer_forces(self, query: Query, k: int) -> Draft:
        lines: list[str] = []
        citations: list[Citation] = []
        forces: list[str] = []
        snap = self.retriever.snapshot()
        terms = topic_terms(snap, query.topic)
        evidence_of = force_evidence(self.retriever, query, k)
        own = {
            force: [e for e in evidence if not is_recommendation(e.sentence.text)]
            for force, evidence in evidence_of.items()
        }
        top = max((e.coverage for evidence in own.values() for e in evidence), default=0.0)
        floor = max(MIN_FORCE_COVERAGE, RELATIVE_FORCE_COVERAGE * top)
        for force, evidence in sorted(own.items()):
            supported = [e for e in evidence if e.coverage >= floor and e.dense >= MIN_FORCE_DENSE]
            if not supported:
                continue
            best = max(supported, key=lambda e: (e.coverage, e.score))
            # The status as the compare matrix decides it on the same evidence (the latest
            # document that speaks decides), so the chat and the matrix agree; the force's own
            # best sentence when the matrix's stricter support test finds nothing.
            status, proof, _ = select_status(evidence_of[force], terms, snap=snap)
            if status is Status.not_mentioned or status is Status.declined or not proof:
                status = classify_status(best.sentence.text)
            else:
                best = proof[0]
            if query.status and status is not query.status:
                continue
            c = citation(len(citations) + 1, best)
            citations.append(c)
            forces.append(force)
            lines.append(escape_quoted_markers(f"- **{force}** ({STATUS_PHRASE[status]}): “{c.quote}” [{c.n}]"))
        if not forces:
            return abstain(query)
        lead = f"{len(forces)} of {len(self.retriever.snapshot().force_names)} forces: {', '.join(forces)}."
        return Draft(text=lead + "\n\n" + "\n".join(lines), citations=citations, forces=forces)
