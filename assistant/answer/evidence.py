"""Sentences as evidence: every sentence of the retrieved chunks scored against the question,
by how much of the question's (idf-weighted) vocabulary it carries and how close its chunk is."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from assistant.answer.snapshot import Snapshot
from assistant.types import Citation, Hit
from ingest.dates import MONTH_NAME
from ingest.keyword import tokenize
from ingest.types import Chunk, Document, Sentence

DATE = re.compile(
    rf"\b(?:\d{{1,2}}(?:st|nd|rd|th)?(?:<sup>\w+</sup>)?\s+)?{MONTH_NAME}\s+\d{{4}}\b|\b\d{{4}}-\d{{2}}-\d{{2}}\b|"
    r"\b\d{1,2}/\d{1,2}/\d{4}\b|\b(?:in|since|by|during|from|until)\s+(?:19|20)\d\d\b"
)
NUMBER = re.compile(
    r"\b\d[\d,]*\b|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|twelve|twenty|hundred)\b", re.I
)
# Words that say nothing about a topic in this corpus, whatever their idf: its own furniture,
# and the light verbs and pronouns of questions that bm25s's stop list leaves in.
_GENERIC = frozenset(
    tokenize(
        [
            "force forces police constabulary pcc commissioner chief constable response responded respond report "
            "document letter say said mention mentioned "
            "after before his her him she he its their it they get got make made take took taken give gave given go went "
            "base based name named happen happened involve involved aim aiming aimed feed fed much many use used part "
            "thing things way kind sort also still ever already"
        ]
    )[0]
)


# An inspectorate recommendation quoted back ("Within six months chief constables should ..."):
# it says what was asked of a force, not what the force did.
_RECOMMENDATION = re.compile(
    r"^(?:Recommendation \d+:?\s*)?(?:Within (?:one|two|three|four|six|nine|twelve|\d+) months\b|We recommend\b)"
    r"|\b(?:chief constables|forces|the NPCC(?: lead)?|the College of Policing|the Home Office|the CPS(?: lead)?)"
    r" should (?:ensure|consider|review|adopt|record|write|remind|work)\b",
    re.I,
)


def is_recommendation(text: str) -> bool:
    return bool(_RECOMMENDATION.search(text))


@dataclass
class Evidence:
    chunk: Chunk
    doc: Document
    sentence: Sentence
    coverage: float  # share of the question's weighted terms the sentence carries
    dense: float  # cosine of the sentence's chunk to the question
    score: float


def quote_of(doc: Document, start: int, end: int) -> str:
    """The verbatim quote for a span, whitespace normalised."""
    return " ".join(doc.text[start:end].split())


@lru_cache(maxsize=4096)
def _stems(text: str) -> frozenset[str]:
    return frozenset(tokenize([text])[0])


# Words that inspection responses use interchangeably for the same action. A sentence that
# carries a near-synonym of a question word gets part of that word's weight.
_NEAR_SYNONYMS = [
    "audit review reviewed check dip-sample scrutiny scrutinise examine assess assurance",
    "train training trained input briefing educate course module",
    "record recording log logged classify",
    "appoint appointed designate dedicated post",
    "withdraw withdrew stop cease termination terminate end abolish",
    "adopt adopted implement introduce comply",
    "victim victims survivor",
    "plan planned intend intends will propose",
    "monitor oversight scrutiny governance",
    "rise increase growth more",
    "copy copied cc",
]
SYNONYM_CREDIT = 0.6


@lru_cache(maxsize=1)
def near_synonyms() -> dict[str, frozenset[str]]:
    table: dict[str, set[str]] = {}
    for group in _NEAR_SYNONYMS:
        stems = set(tokenize([group.replace("-", " ")])[0]) | set(tokenize([group])[0])
        for stem in stems:
            table.setdefault(stem, set()).update(stems - {stem})
    return {k: frozenset(v) for k, v in table.items()}


def coverage_of(terms: dict[str, float], stems: frozenset[str]) -> float:
    """Share of the question's weighted terms that a sentence carries (synonyms count part)."""
    total = sum(terms.values()) or 1.0
    synonyms = near_synonyms()
    got = 0.0
    for term, weight in terms.items():
        if term in stems:
            got += weight
        elif synonyms.get(term, frozenset()) & stems:
            got += SYNONYM_CREDIT * weight
    return got / total


def question_terms(snap: Snapshot, text: str) -> dict[str, float]:
    """The question's topical stems with their idf weights (rare terms weigh more). A word
    the corpus never uses (nor a near-synonym of it) weighs more than all the others
    together: a question about "salary" is not answered by a passage about the same officer
    (calibration in docs/abstention.md)."""
    stems = [s for s in tokenize([text])[0] if s not in _GENERIC]
    weights = {stem: snap.keyword.idf(stem) for stem in stems}
    seen = [w for stem, w in weights.items() if snap.keyword.df(stem) > 0]
    unseen = [
        stem
        for stem in weights
        if snap.keyword.df(stem) == 0 and not any(snap.keyword.df(x) for x in near_synonyms().get(stem, ()))
    ]
    for stem in unseen:
        weights[stem] = max(2 * max(seen, default=1.0), 1.6 * sum(seen))
    return weights


def score_sentences(
    snap: Snapshot, hits: list[Hit], terms: dict[str, float], *, bonus=None, doc_ids: list[str] | None = None
) -> list[Evidence]:
    """Every sentence of the hit chunks, best first."""
    out = []
    top_fused = max((h.score for h in hits), default=1.0) or 1.0
    for hit in hits:
        row = snap.row_of.get(hit.chunk_id)
        if row is None:
            continue
        chunk = snap.chunks[row]
        if doc_ids and chunk.doc_id not in doc_ids:
            continue
        doc = snap.documents[chunk.doc_id]
        for sentence in chunk.sentences:
            stems = _stems(sentence.text)
            coverage = coverage_of(terms, stems)
            score = 0.55 * coverage + 0.3 * max(hit.dense, 0.0) + 0.15 * hit.score / top_fused
            if bonus:
                score += bonus(sentence.text)
            if len(sentence.text) < 25:
                score -= 0.1  # headings and labels are no answer
            out.append(Evidence(chunk, doc, sentence, coverage, hit.dense, score))
    out.sort(key=lambda e: -e.score)
    return out


def citation(n: int, ev: Evidence) -> Citation:
    """A citation for a sentence, its quote checked against the document text."""
    doc, s = ev.doc, ev.sentence
    quote = quote_of(doc, s.start, s.end)
    if not quote or quote not in " ".join(doc.text.split()):
        raise AssertionError(f"quote not found in {doc.source}")  # a bug, never user input
    m = doc.meta
    return Citation(
        n=n,
        doc_id=doc.doc_id,
        source=doc.source,
        title=m.title,
        force=m.force,
        date=m.date.isoformat() if m.date else None,
        page=ev.chunk.page if not doc.page_starts else doc.page_at(s.start),
        start=s.start,
        end=s.end,
        quote=quote,
        score=round(ev.score, 4),
    )


def sentence_with(snap: Snapshot, doc: Document, needle: str) -> Evidence | None:
    """The first sentence of `doc` that contains `needle` (for metadata answers)."""
    pattern = re.compile(r"\s+".join(map(re.escape, needle.split())), re.I)
    for chunk in snap.chunks_of(doc.doc_id):
        for sentence in chunk.sentences:
            if pattern.search(sentence.text):
                return Evidence(chunk, doc, sentence, 1.0, 1.0, 1.0)
    return None


def has_date(text: str) -> bool:
    return bool(DATE.search(text))


def has_count(text: str) -> bool:
    """A number that is not part of a date or a year."""
    stripped = re.sub(r"\b(?:19|20)\d\d\b", " ", DATE.sub(" ", text))
    stripped = re.sub(r"^\s*\d+(?:\.\d+)*\.?\s", " ", stripped)  # paragraph numbers "4.3"
    return bool(NUMBER.search(stripped))


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


_ROLE = re.compile(
    r"\b(?:Detective|Constable|Superintendent|Inspector|Sergeant|Officer|Head of|Commissioner|Lead|"
    r"Chair|Director|Manager|Team|Unit|Board|Group|Trust|Council)\b"
)


def names_someone(text: str) -> bool:
    """A person, an office holder or a body: what a "who" question is answered by."""
    return has_person_name(text) or bool(_ROLE.search(text))


def has_person_name(text: str) -> bool:
    """Two capitalised words in a row that are not an office, place or organisation."""
    for m in re.finditer(r"\b([A-Z][a-z]+)(?:\s+[A-Z]\.)?\s+([A-Z][a-z]{2,})\b", text):
        if m.group(1) not in _NOT_NAMES and m.group(2) not in _NOT_NAMES:
            return True
    return False


def distinct(evidence: list[Evidence], limit: int) -> list[Evidence]:
    """The best sentences, never the same text twice."""
    chosen, seen_text = [], set()
    for ev in evidence:
        key = " ".join(ev.sentence.text.lower().split())
        if key in seen_text:
            continue
        chosen.append(ev)
        seen_text.add(key)
        if len(chosen) >= limit:
            break
    return chosen


_CONTINUES = re.compile(
    r"^(?:As a result|This|These|It|They|In addition|Following this|Consequently|Therefore|"
    r"To (?:this|that) end|The (?:majority|DC|force|plan|group))\b"
)


def with_continuation(ev: Evidence) -> Evidence:
    """The sentence together with the next one when that one only continues it ("As a
    result, ...", "This ..."): quoting half the thought would hide the answer."""
    sentences = ev.chunk.sentences
    for i, s in enumerate(sentences[:-1]):
        if s.start == ev.sentence.start and _CONTINUES.match(sentences[i + 1].text):
            nxt = sentences[i + 1]
            merged = Sentence(text=f"{s.text} {nxt.text}", start=s.start, end=nxt.end)
            return Evidence(ev.chunk, ev.doc, merged, ev.coverage, ev.dense, ev.score)
    return ev
