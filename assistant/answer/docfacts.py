"""Facts about a document itself (who wrote or signed it and in what capacity, to whom it
went, which board or meeting, when, what kind of document, which report it answers) are
answered from the metadata ingest.describe read from its text, and cited at the sentence of
the document that states them: a letterhead, a date line, a signature, a "To:" or "Author:"
field. A fact the metadata lacks, or that no sentence states, is left to the sentence
answerer: never answered without a citation.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from assistant.answer.draft import Draft, label, when
from assistant.answer.evidence import Evidence, citation, sentence_with, sentences_of
from assistant.answer.kinds import has_person_name
from assistant.answer.retrieve import Retriever
from assistant.answer.snapshot import Snapshot
from assistant.answer.understand import DocFact, Query
from assistant.answer.verify import escape_quoted_markers
from ingest.types import AuthorRole, Document

# A question about a document names one ("the letter", "the paper", "it") or its writer: not
# "when was Living in Fear published?", which asks about the report every response answers.
_DOCUMENT = re.compile(
    r"\b(?:letter|paper|minutes|release|news|item|page|email|e-mail|plan|tracker|response|comments|statement"
    r"|update|it|this|that|pcc|commissioner|chief\s+constable|deputy|panel|board|committee|force|constabulary"
    r"|police|office|one)\b",  # "who signed the North Wales one?"
    re.I,
)
# The kind of document a question names, to choose among a force's documents.
_KINDS = {
    "letter": re.compile(r"\bletter\b", re.I),
    "board paper": re.compile(r"\b(?:paper|board|committee)\b", re.I),
    "minutes": re.compile(r"\b(?:minutes|meeting|panel)\b", re.I),
    "press release": re.compile(r"\b(?:press\s+release|news|release)\b", re.I),
    "web page": re.compile(r"\b(?:web\s*page|website|page)\b", re.I),
    "annual report": re.compile(r"\bannual\s+report\b", re.I),
    "action plan": re.compile(r"\b(?:action\s+plan|plan|tracker)\b", re.I),
    "email": re.compile(r"\be-?mail\b", re.I),
}


def resolve_document(retriever: Retriever, query: Query, k: int) -> Document | None:
    """The document a question asks about: the one the previous answer cited ("who wrote
    it?"), else the best retrieved document of the kind the question names."""
    snap = retriever.snapshot()
    if query.doc_ids:
        return snap.documents.get(query.doc_ids[0])
    hits = retriever.search(query.text, query.filters, k=k * 2)
    docs = [snap.documents[d] for d in dict.fromkeys(h.doc_id for h in hits)]
    kinds = [kind for kind, pattern in _KINDS.items() if pattern.search(query.question)]
    for doc in docs:
        if not kinds or any(kind in doc.meta.doc_type.value for kind in kinds):
            return doc
    return docs[0] if docs else None


def _stated(snap: Snapshot, doc: Document, field: str, *fallbacks: str | None) -> Evidence | None:
    """The sentence of `doc` that states a metadata field: the one holding the line describe
    read it from (DocumentMeta.evidence), else one holding any of `fallbacks`."""
    for needle in (doc.meta.evidence.get(field), *fallbacks):
        for words in _needles(needle):
            if ev := sentence_with(snap, doc, words):
                return ev
    return None


def _needles(text: str | None) -> list[str]:
    """A line to look for, and its first sentence-sized piece (a sentence may hold part of a line)."""
    if not text:
        return []
    words = text.split()
    return [text, " ".join(words[:8])] if len(words) > 8 else [text]


def _person(name: str | None, role: AuthorRole | None) -> str:
    office = f", {role.value}" if role and role is not AuthorRole.other else ""
    return f"{name}{office}"


# "On what date did the panel meet to consider it?": the meeting's day, not the paper's.
_MET = re.compile(r"\b(?:meet|met|meeting|sit|sat|held|consider|considered|discuss|discussed)\b", re.I)


def _reading(
    snap: Snapshot, doc: Document, fact: DocFact, question: str = ""
) -> tuple[str, Callable[[], Evidence | None]] | None:
    """(what the metadata says, how to find the sentence that says it) for one fact."""
    m = doc.meta
    name = m.title or doc.source
    if fact in (DocFact.author, DocFact.role) and (m.author_name or m.authors):
        people = [a for a in m.authors if a.name] or []
        who = "; ".join(_person(a.name, a.role) for a in people) or _person(m.author_name, m.author_role)
        first = people[0].name if people else m.author_name
        return f"{name} was written by {who}", lambda: _stated(snap, doc, "author", first)
    if fact is DocFact.meeting and (m.meeting or m.recipient):
        body = m.meeting or m.recipient
        return f"{name} went to {body}", lambda: _stated(snap, doc, "meeting", body, m.recipient)
    if fact is DocFact.copied and m.copied:
        return f"{name} was copied to {m.copied}", lambda: _stated(snap, doc, "copied", m.copied)
    if fact is DocFact.recipient and m.recipient:
        return f"{name} is addressed to {m.recipient}", lambda: _stated(snap, doc, "recipient", m.recipient)
    if fact is DocFact.date and m.meeting_date and _MET.search(question):
        return f"{name} went to the meeting of {m.meeting_date:%-d %B %Y}", lambda: _stated(snap, doc, "meeting_date")
    if fact is DocFact.date and m.date:
        return f"{name} is dated {when(doc)}", lambda: _stated(snap, doc, "date")
    if fact is DocFact.kind:
        return f"{name} is a {m.doc_type.value}", lambda: _stated(snap, doc, "doc_type", m.title)
    if fact is DocFact.report and m.report:
        words = re.sub(r"\s*\(\d{4}\)$", "", m.report).split(":")[0]
        return f"{name} responds to {m.report}", lambda: sentence_with(snap, doc, words)
    return None


# "When did the College of Policing write to chief constables?": the subject of the verb is
# someone else than the document or its writer.
_SUBJECT = re.compile(r"\b(?:when|what\s+date)\s+(?:did|was|were|is)\s+(?P<subject>.+?)\s+\w+(?:\s+to|\?|$)", re.I)


def _about_the_document(query: Query) -> bool:
    """Whether the question asks about the document (or its writer), not about someone it names."""
    if not (query.doc_ids or _DOCUMENT.search(query.question)):
        return False
    if query.doc_fact is DocFact.date and (m := _SUBJECT.search(query.question)):
        return bool(_DOCUMENT.search(m.group("subject")))
    return True


def answer_doc_fact(retriever: Retriever, query: Query, k: int) -> Draft | None:
    """The answer to a question about a document itself, or None to answer from sentences."""
    if query.doc_fact is None or not _about_the_document(query):
        return None
    doc = resolve_document(retriever, query, k)
    if doc is None:
        return None
    snap = retriever.snapshot()
    reading = _reading(snap, doc, query.doc_fact, query.question)
    if reading is None:
        return None
    statement, find = reading
    evidence = find()
    if evidence is None:
        return None
    found = [evidence]
    if query.doc_fact in (DocFact.author, DocFact.role):
        # the line that gives the writer's office or body too ("Report of: Head of Internal Audit, ...")
        role = _stated(snap, doc, "role")
        if role is not None and role.sentence.start != evidence.sentence.start:
            found.append(role)
    citations = [citation(i, ev) for i, ev in enumerate(found, 1)]
    quotes = " ".join(f"“{c.quote}” [{c.n}]" for c in citations)
    lines = [f"{statement}. {label(evidence)}: {quotes}"]
    for fact in query.more_facts:  # "... to whom, and for which board?": each fact with its own line
        if (more := _reading(snap, doc, fact, query.question)) and (stated := more[1]()):
            said = "It " + more[0].removeprefix(f"{doc.meta.title or doc.source} ")  # the document is named once
            if same := [c for c in citations if c.start == stated.sentence.start]:
                lines.append(f"{said} [{same[0].n}].")
                continue
            citations.append(citation(len(citations) + 1, stated))
            lines.append(f"{said}. {label(stated)}: “{citations[-1].quote}” [{citations[-1].n}]")
    text = escape_quoted_markers("\n".join(lines))
    forces = [doc.meta.force] if doc.meta.force and doc.meta.force in query.filters.forces else []
    return Draft(text=text, citations=citations, forces=forces)


# The offices a sentence may name without naming the person ("said the Commissioner").
_OFFICES = {
    AuthorRole.pcc: re.compile(r"\bthe\s+(?:police\s+and\s+crime\s+)?commissioner\b|\bthe\s+pcc\b", re.I),
    AuthorRole.deputy_pcc: re.compile(r"\bthe\s+deputy\s+(?:police\s+and\s+crime\s+)?commissioner\b", re.I),
    AuthorRole.chief_constable: re.compile(r"\bthe\s+chief\s+constable\b", re.I),
}


# "I would rather tell the Board ...": the writer speaks, unless the sentence reports someone else.
_FIRST_PERSON = re.compile(r"\bI\b|\b(?:my|me)\b")
_REPORTED = re.compile(r"\b(?:said|says|told|added|explained)\b", re.I)


def speaker(snap: Snapshot, ev: Evidence) -> tuple[str, list[Evidence]] | None:
    """Who speaks in a sentence that names no one: the office it names ("said the
    Commissioner") when the document's writer holds it, or the writer when it speaks in the
    first person. Returns (a statement, "The Commissioner is Helen Straughan, who wrote it",
    and the sentence of the document that states the writer)."""
    text = ev.sentence.text
    if has_person_name(text):
        return None
    m = ev.doc.meta
    people: list[tuple[str | None, AuthorRole | None]] = [(a.name, a.role) for a in m.authors if a.name]
    people = people or [(m.author_name, m.author_role)]
    if _FIRST_PERSON.search(text) and not _REPORTED.search(text) and len(people) == 1 and people[0][0]:
        name, role = people[0]
        if signed := _signature(snap, ev.doc, name or ""):
            return f"The writer is {_person(name, role)}", signed
        if stated := _stated(snap, ev.doc, "author", name):
            return f"The writer is {_person(name, role)}", [stated]
    for name, _ in people:
        # "Information Compliance Officer" under "Rhodri Evans" in the signature block: the
        # office line of the writer, whatever the office
        if name and (stated := _stated(snap, ev.doc, "author", name)) and _just_above(stated, ev):
            line = re.sub(r"^(?:the\s+)?", "The ", " ".join(text.split()).rstrip("."), flags=re.I)
            return f"{line} is {name}, who wrote it", [stated]
    for role, pattern in _OFFICES.items():
        office = pattern.search(text)
        if office is None or (role is AuthorRole.pcc and _OFFICES[AuthorRole.deputy_pcc].search(text)):
            continue
        for name, held in people:
            if name and held is role and (stated := _stated(snap, ev.doc, "author", name)):
                return f"{office.group(0)[0].upper()}{office.group(0)[1:]} is {name}, who wrote it", [stated]
    return None


def _just_above(upper: Evidence, lower: Evidence) -> bool:
    """Whether `upper` is the line right above `lower` (a name over its office line)."""
    if upper.doc.doc_id != lower.doc.doc_id or upper.sentence.end > lower.sentence.start:
        return False
    gap = upper.doc.text[upper.sentence.end : lower.sentence.start]
    return not gap.strip(" \t\n,") and gap.count("\n") == 1


MAX_TITLE_LINE_WORDS = 12


def _signature(snap: Snapshot, doc: Document, name: str) -> list[Evidence]:
    """The writer's signature: the last line that is their name, with the line under it
    when that is short (their job title: "Detective Superintendent | Head of Public Protection")."""
    sentences = sentences_of(snap, doc)
    at = [i for i, e in enumerate(sentences) if " ".join(e.sentence.text.split()).strip(" ,.") == name]
    if not at:
        return []
    i = at[-1]
    after = sentences[i + 1 : i + 2]
    return [sentences[i], *(e for e in after if len(e.sentence.text.split()) <= MAX_TITLE_LINE_WORDS)]
