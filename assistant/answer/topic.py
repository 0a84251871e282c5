"""A topic a force may have acted on ("audited how breaches of orders are recorded"), as the
status judgement reads it: its words weighted by rarity, its action (the verb that names
what was done: "audit") apart from what it was done to, and whether a clause of a sentence
carries it.

A sentence speaks to a topic when one of its clauses carries most of the topic's weighted
words and the same action: "the Force Crime Registrar dip-sampled 200 malicious
communications crimes" has the action but not the object, "the occurrence template was
amended so that a breach of an order prompts ..." the object but not the action; neither
speaks to an audit of how breaches are recorded. An action said in other words than the
topic's is recognised by its near-synonyms (terms.ACTION_NEAR), or by the sentence's vector
standing close to the topic's.
"""

from __future__ import annotations

import re

import numpy as np

from assistant.answer.snapshot import Snapshot
from assistant.answer.terms import (
    ACTION_NEAR,
    GENERIC,
    HEDGES,
    SYNONYM_CREDIT,
    stem_sequence,
    stems,
    verbs,
    weighted_terms,
)
from ingest.keyword import tokenize
from ingest.types import Document

MIN_SUPPORT_COVERAGE = 0.38  # share of the topic's weighted words a clause must carry
HEAVY_TERM_SHARE = 0.25  # a topic word this weighty must appear somewhere in the document

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
# Verbs that say how far an action went or what became of it, not which action: "completed an
# audit", "carried out a dip sample", "refused to accept". The action is the word after them.
_LIGHT = frozenset(
    tokenize(
        [
            "complete completed carry carried undertake undertaken conduct conducted make made take taken "
            "begin began begun start started finish finished perform performed "
            "refuse refused decline declined reject rejected plan planned intend intended propose proposed"
        ]
    )[0]
)


class Terms(dict):
    """A topic's weighted stems; its action (the first word that names what was done:
    "audited how breaches of orders are recorded" -> "audit"), the actions offered beside it
    ("an audit or dip sample"), and its vector when the caller embedded it."""

    action: str | None = None
    alternatives: frozenset[str] = frozenset()
    vector: np.ndarray | None = None
    aliases: dict[str, frozenset[str]] = {}  # acronyms the documents define for the topic's words
    either: dict[str, frozenset[str]] = {}  # "events or seminars": each word's alternatives
    verbs: frozenset[str] = frozenset()  # "how breaches are recorded", "to cover": said in any words, no thing
    kinds: frozenset[str] = frozenset()  # "restraining orders and non-molestation orders": kinds named, not needed

    @property
    def actions(self) -> frozenset[str]:
        return frozenset([self.action, *self.alternatives] if self.action else self.alternatives)

    def things(self) -> Terms:
        """What the action was done to, without the verbs that say how ("how breaches are
        *recorded*"): "an audit of how reports of computer misuse were recorded" names the
        action and a verb of the topic but none of its things."""
        rest = self.object_terms()
        for verb in self.verbs:
            rest.pop(verb, None)
        return rest

    def object_terms(self) -> Terms:
        """The topic's words other than its action: what the action was done to."""
        rest = Terms((t, w) for t, w in self.items() if t not in self.actions)
        rest.aliases, rest.either, rest.verbs, rest.kinds = self.aliases, self.either, self.verbs, self.kinds
        return rest

    def carried(self, text: str) -> frozenset[str]:
        """The stems of `text`, with the words of any acronym it uses ("PINs")."""
        found = stems(text)
        for acronym, words in self.aliases.items():
            if acronym in found:
                found = found | words
        return found


def topic_terms(snap: Snapshot, topic: str, vector: np.ndarray | None = None) -> Terms:
    """The topic's stems weighted by idf (terms.weighted_terms), without function words;
    a bracketed aside ("Police Information Notices (PINs)") names the same thing again and
    adds no word the topic needs."""
    plain = re.sub(r"\([^)]*\)", " ", topic)
    # light verbs are how far the action went ("refused to accept"), not what it was; the same
    # words as nouns are things ("develop an action *plan*")
    light = _LIGHT - _light_nouns(plain)
    terms = Terms((t, w) for t, w in weighted_terms(snap.keyword, plain).items() if t not in _FUNCTION | light)
    action = _action(plain)
    terms.action = action if action in terms else None
    offered = re.search(r"\b\w+\s+or\s+([\w-]+(?:\s+[\w-]+)?)", plain)  # "an audit or dip sample"
    if action is not None and offered and action in stem_sequence(offered.group(0).split(" or ")[0]):
        terms.alternatives = frozenset(stem_sequence(offered.group(1)))
    terms.vector = vector
    terms.aliases = {a: words for a, words in snap.aliases().items() if words & terms.keys()}
    terms.either = _alternatives(plain)
    terms.verbs = verbs(plain) & terms.keys()
    terms.kinds = _kinds(plain) & terms.keys()
    return terms


def _kinds(topic: str) -> frozenset[str]:
    """The words that name kinds of one thing the topic lists ("breaches of restraining orders
    and non-molestation orders"): a passage on breaches of orders speaks to it without them."""
    found: set[str] = set()
    for m in re.finditer(r"\b([\w-]+)\s+([a-z]+s)\s+(?:(?:and|or|,)\s+)?([\w-]+)\s+\2\b", topic, re.I):
        found |= set(stem_sequence(f"{m.group(1)} {m.group(3)}")) - set(stem_sequence(m.group(2)))
    return frozenset(found)


# What may stand before a light word used as a verb: "have completed", "refused", "not yet made".
_BEFORE_A_VERB = frozenset("to will would shall has have had not yet never and or also who which that".split())


def _light_nouns(topic: str) -> frozenset[str]:
    """Stems of light words the topic uses as nouns: after a determiner or another noun ("an
    action plan", "the start"), not after an auxiliary or at the start ("have completed")."""
    words = re.findall(r"[A-Za-z][\w-]*", topic.lower())
    out = set()
    for before, word in zip(words, words[1:], strict=False):
        stem = stem_sequence(word)
        if stem and stem[0] in _LIGHT and before not in _BEFORE_A_VERB and not before.endswith("ly"):
            out.add(stem[0])
    return frozenset(out)


def _alternatives(topic: str) -> dict[str, frozenset[str]]:
    """Words the topic offers as alternatives ("events or seminars"), each with the others."""
    out: dict[str, frozenset[str]] = {}
    for m in re.finditer(r"\b([\w-]+)\s+or\s+([\w-]+)\b", topic):
        pair = frozenset(stem_sequence(f"{m.group(1)} {m.group(2)}"))
        for stem in pair:
            out[stem] = out.get(stem, frozenset()) | (pair - {stem})
    return out


_SUBORDINATE = re.compile(
    r"\b(?:how|whether|that|which|who|whom|when|where|why|what|if|before|after|until|because|unless|while)\b", re.I
)
# "say they will wait for ...": the action is what is said, not the saying.
_REPORTING = frozenset(
    tokenize(["say says said state stated report reported mention mentioned admit admits admitted acknowledge"])[0]
)


def _action(topic: str) -> str | None:
    """The stem of the verb that names the topic's action: the first past participle or past
    tense ("stalking training *delivered* to officers", "have not yet *audited*"), else, unless
    the topic opens with a verb that names no particular action ("use", "have"), the first word
    police responses use for an action (terms.ACTION_NEAR), else the first topical word; never
    a verb that only says how far the action went ("completed", "refused"). A clause the
    topic's object holds is not its action: "completed an audit of how breaches are *recorded*"
    is an audit."""
    main_clause = _SUBORDINATE.split(HEDGES.sub(" ", topic), maxsplit=1)[0]
    pairs = []
    for word in re.findall(r"[A-Za-z][\w-]*", main_clause):
        sequence = stem_sequence(word)
        if sequence and sequence[0] not in _FUNCTION | _LIGHT:
            pairs.append((word.lower(), sequence[0]))
    while len(pairs) > 1 and pairs[0][1] in _REPORTING:
        pairs.pop(0)
    participle = next((s for w, s in pairs if re.search(r"[a-z]{2}(?:ed|en)$", w)), None)
    if participle or not pairs:
        return participle
    if pairs[0][1] in GENERIC:
        return None
    return next((s for _, s in pairs if s in ACTION_NEAR), pairs[0][1])


def coverage(terms: dict[str, float], text: str, least: int = 2) -> float:
    """Share of the topic's weighted terms that `text` carries (near-synonyms count part).
    One word is no match for a topic of several, however rare: "civil orders" does not speak
    to "reviewed the use of stalking protection orders" (`least` words must be carried)."""
    carried_stems = terms.carried(text) if isinstance(terms, Terms) else stems(text)
    kinds = terms.kinds if isinstance(terms, Terms) else frozenset()
    # the kinds a topic lists count when a passage names one, and are no gap when it names none
    unnamed = kinds if not kinds & carried_stems else frozenset()
    total = sum(w for t, w in terms.items() if t not in unnamed) or 1.0
    got, carried = 0.0, 0
    either = terms.either if isinstance(terms, Terms) else {}
    for term, weight in terms.items():
        if term in carried_stems or either.get(term, frozenset()) & carried_stems:
            got, carried = got + weight, carried + 1  # "events or seminars": a seminar is enough
        elif ACTION_NEAR.get(term, frozenset()) & carried_stems:
            got, carried = got + SYNONYM_CREDIT * weight, carried + 1
    if carried < min(least, len(terms)):
        return 0.0
    return got / total


# Actions that bring something into being: a force that has the thing has done them ("each
# division has had a stalking single point of contact" was appointed; "SPOCs piloted in two
# units" were appointed in part). Chosen on the tuning halves (the SPOC topic).
_BRINGS_ABOUT = frozenset(tokenize(["appoint establish introduce create set adopt launch recruit designate"])[0])


def has_the_thing(terms: Terms, text: str) -> bool:
    """Whether `text` says the force has what the topic's action would bring about: the
    action is of that kind and one clause names every word of the thing, however common
    ("a single point of contact" for ransomware victims is no *stalking* one)."""
    if terms.action not in _BRINGS_ABOUT:
        return False  # asked first: a force question reads thousands of sentences
    things = terms.things()
    return bool(things) and any(things.keys() <= things.carried(part) for part in clause_parts(text))


def carries_action(terms: Terms, text: str) -> bool:
    """Whether `text` names the topic's action, or one offered beside it, or a near-synonym."""
    if terms.action is None:
        return True  # a topic whose verb says nothing ("use", "have") names no action to match
    wanted = terms.actions
    carried = terms.carried(text)
    return bool(wanted & carried or any(ACTION_NEAR.get(a, frozenset()) & carried for a in wanted))


_INNER_CAPITAL = re.compile(r".\b[A-Z]")
# A name: capitalised words in a row, joined perhaps by "of", "and", "&", "for", "on", "the".
_NAME = re.compile(r"\b[A-Z][\w'’-]*(?:\s+(?:(?:of|and|&|for|on|the)\s+)*[A-Z][\w'’-]*)+")


def foreign_names(terms: dict[str, float], text: str) -> list[str]:
    """Names in `text` that carry a topic word but end in another word: they name something
    else. "The Stalking Protection Act 2019 introduced new civil orders" does not speak of
    "stalking protection orders", nor "the Public Protection Board" of protection; "Police
    Information Notices" does speak of notices."""
    if not _INNER_CAPITAL.search(text):
        return []
    out = []
    for m in _NAME.finditer(text):
        sequence = stem_sequence(m.group(0))
        if len(sequence) < 2 or not terms.keys() & set(sequence[:-1]):
            continue
        head = sequence[-1]
        if head not in terms and not (ACTION_NEAR.get(head, frozenset()) & terms.keys()):
            out.append(m.group(0))
    return out


# Where a clause ends for coverage: punctuation, a table cell, a dash (not "and": "breaches of
# restraining orders and non-molestation orders" is one object).
_CELL_BREAK = re.compile(r"\s*[|\t]\s*")
_COVERAGE_BREAK = re.compile(r"\s*[;:,()]\s*|\s+[–—]\s+")
# A part that cannot stand on its own leans on the part before it: a phrase that opens with a
# preposition or with the "to" of a purpose ("trained 100 staff from the Force Control Room,
# to recognise stalking"), or one that points back at what that part named ("are for national
# bodies, such as the NPCC, and ... are awaiting their recommendations"). A subject pronoun
# ("and it amended the template") starts a statement of its own and leans on nothing.
_LEANS = re.compile(
    r"^(?:to|with|without|including|in|on|at|for|from|by|within|across|such\s+as)\b"
    r"|\b(?:their|these|those|them)\b",
    re.I,
)


def clause_parts(text: str) -> list[str]:
    """The clauses of `text` for coverage, each part that leans on the one before it read
    with it (`_LEANS`); never across table cells."""
    out: list[str] = []
    for cell in _CELL_BREAK.split(text):
        whole = ""
        for part in (p.strip() for p in _COVERAGE_BREAK.split(cell)):
            if not part:
                continue
            whole = f"{whole} {part}" if whole and _LEANS.search(part) else part
            out.append(whole)
    return out or [text]


def best_clause(terms: dict[str, float], text: str, least: int = 2) -> tuple[float, str]:
    """(coverage, text) of the clause of `text` that carries most of the topic, names of
    other things left out (`foreign_names`). A topic is carried inside one clause or table
    cell: "establishment of Single Points of Contact, ..., implementation of the joint
    protocol" does not speak to "adopt a single definition"."""
    for name in foreign_names(terms, text):
        text = text.replace(name, " ")
    scored = [(coverage(terms, part, least), part) for part in clause_parts(text)]
    return max(scored, key=lambda x: x[0])


def sentence_coverage(terms: dict[str, float], text: str, least: int = 2) -> float:
    """The coverage of a sentence's best clause (`best_clause`)."""
    return best_clause(terms, text, least)[0]


def document_lacks(terms: Terms, doc: Document, snap: Snapshot | None = None) -> str | None:
    """A weighty topic term (HEAVY_TERM_SHARE of the topic's weight or more, its verbs
    aside) that the whole document never uses, nor a near-synonym of it: then no sentence
    of the document speaks to the topic ("appointed a fraud single point of contact" in a
    response on stalking that never says "fraud")."""
    total = sum(terms.values()) or 1.0
    words: frozenset[str] | None = None
    for term, weight in terms.items():
        if term == terms.action or term in terms.verbs or term in terms.kinds or weight < HEAVY_TERM_SHARE * total:
            continue
        if words is None:
            words = snap.memo("document stems", doc.content_hash, lambda: stems(doc.text)) if snap else stems(doc.text)
        offered = terms.either.get(term, frozenset()) if isinstance(terms, Terms) else frozenset()
        if term not in words and not ((ACTION_NEAR.get(term, frozenset()) | offered) & words):
            return term
    return None
