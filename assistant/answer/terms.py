"""Words as evidence: a question's (or topic's) stems weighted by how rare they are in the
corpus, near-synonyms that police responses use for the same action, and how much of that
weighted vocabulary a sentence carries.

Lexical coverage is one signal among several (evidence.py): a question in other words than
the passage's is carried by the sentence vectors, so no single word may veto an answer.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Protocol

from lemminflect import getAllLemmas

from ingest.keyword import tokenize


class Vocabulary(Protocol):
    """What idf weighting needs of the keyword index (ingest.keyword.KeywordIndex)."""

    def df(self, token: str) -> int: ...

    def idf(self, token: str) -> float: ...


_AUXILIARIES = frozenset("be have do shall will can may must need dare ought".split())


@lru_cache(maxsize=1 << 16)
def lemma_stem(stem: str) -> str:
    """The stem of the verb an irregular form belongs to ("withdrawn", "withdrew" ->
    "withdraw"; "held" -> "hold"; "began" -> "begin"), else the stem itself. The stemmer
    joins regular forms ("trained", "training"), never these. The keyword index keeps its own
    stems; this is for matching a topic's words against a sentence's."""
    lemmas = getAllLemmas(stem, upos="VERB").get("VERB", ())
    if not lemmas or stem in lemmas or lemmas[0] in _AUXILIARIES:
        return stem  # "should" stays "should": a function word, never the verb "shall"
    found = tokenize([lemmas[0]])[0]
    return found[0] if len(found) == 1 else stem


_TO_VERB = re.compile(r"\bto\s+([a-z][a-z-]+)\b")
_WORD = re.compile(r"[a-z][a-z-]+")


def _only_a_verb(word: str) -> bool:
    """An inflected form that is never a noun ("recorded", "addressed", "held"); not a form in
    -ing, which names a thing as often as it does an action ("stalking")."""
    forms = getAllLemmas(word)
    return "VERB" in forms and "NOUN" not in forms and word not in forms["VERB"] and not word.endswith("ing")


def verbs(text: str) -> frozenset[str]:
    """The stems of the words `text` uses as verbs: after "to" ("revised the policy *to
    cover* breaches") and in forms that are only ever verbs ("how breaches are *recorded*").
    They say what was done or what for, in words a document may choose otherwise; the things
    it was done to are the other words."""
    lower = text.lower()
    found = [
        m.group(1)
        for m in _TO_VERB.finditer(lower)
        if m.group(1) in getAllLemmas(m.group(1), upos="VERB").get("VERB", ())
    ]
    found += [w for w in _WORD.findall(lower) if _only_a_verb(w)]
    return frozenset(lemma_stem(s) for s in tokenize([" ".join(found)])[0])


# A group described by what it does: "the people who take 999 calls", "staff answering
# emergency calls". In a question it stands for the group's name: its words ("people", "take",
# "999") are not what a passage about call handlers says.
_CALLS = r"(?:(?:999|101|emergency|non-emergency|phone|telephone)\s*(?:(?:and|or|/)\s*)?)*calls?\b"
_DESCRIBED_PEOPLE = [
    (
        "call handlers",
        re.compile(
            r"\b(?:the\s+|our\s+|all\s+)?(?:people|persons|staff|those|employees|colleagues)\s+"
            r"(?:(?:who|that)\s+(?:answer|take|handle|receive)s?|answering|taking|handling|receiving)"
            rf"\s+(?:the\s+|their\s+)?{_CALLS}"
            r"|\b(?:who|that)\s+(?:answer|take|handle|receive)s?\s+(?:the\s+)?"
            rf"(?=(?:999|101|emergency|non-emergency)\b){_CALLS}",
            re.I,
        ),
    ),
]
# One group of people, named many ways: a text that names them in any of these carries the
# words of the first name too ("174 control room operators" speaks of call handlers). Chosen
# on the tuning halves' documents (call takers, control room operators, public contact staff,
# staff "who answer 999 and 101 calls").
_SAME_PEOPLE = [
    (
        "call handlers",
        re.compile(
            r"\bcall[\s-]+(?:handl|tak)\w*"
            r"|\bcontrol\s+room\b|\b(?:contact|communications?)\s+(?:centre|center)\b"
            r"|\bpublic\s+contact\s+(?:staff|officers?|team)\b"
            rf"|{_DESCRIBED_PEOPLE[0][1].pattern}",
            re.I,
        ),
    ),
]
# An action said without its verb: "no longer issues PINs" has stopped issuing them.
_SAME_ACTION = [("stopped", re.compile(r"\bno\s+longer\b", re.I))]
_NAMED_OTHERWISE = [(tuple(tokenize([name])[0]), pattern) for name, pattern in _SAME_PEOPLE + _SAME_ACTION]


def named_groups(text: str) -> str:
    """`text` with a group of people described by what it does written as the group's name."""
    for name, pattern in _DESCRIBED_PEOPLE:
        text = pattern.sub(f" {name} ", text)
    return text


@lru_cache(maxsize=1 << 14)
def stems(text: str) -> frozenset[str]:
    """The stems of `text`, with the verb each irregular form belongs to (`lemma_stem`), and
    the words of a group of people it names otherwise (`_SAME_PEOPLE`) or of an action it
    says without its verb (`_SAME_ACTION`). Cached: a force question reads the same retrieved
    sentences once per force and clause."""
    found = tokenize([text])[0]
    out = frozenset(found).union(map(lemma_stem, found))
    for words, pattern in _NAMED_OTHERWISE:
        if pattern.search(text):
            out = out.union(words)
    return out


def stem_sequence(text: str) -> tuple[str, ...]:
    """The stems of `text` in order, irregular verb forms as their verb (`lemma_stem`)."""
    return tuple(map(lemma_stem, tokenize([text])[0]))


# Words that say nothing about a topic in this corpus, whatever their idf: its own furniture,
# and the light verbs and pronouns of questions that bm25s's stop list leaves in.
GENERIC = frozenset(
    tokenize(
        [
            "force forces police constabulary pcc commissioner chief constable response responded respond report "
            "document letter say said mention mentioned admit admits admitted acknowledge acknowledges concede "
            "after before his her him she he its their it they get got make made take took taken give gave given "
            "go went base based name named happen happened involve involved aim aiming aimed feed fed much many "
            "use used part thing things way kind sort also still ever already yet"
        ]
    )[0]
)

# Words that inspection responses use interchangeably for the same action or thing, one group
# a line. A sentence that carries a near-synonym of a question word gets part of its weight.
# The first groups are the ones `ask` has always used; the later ones came from the compare
# judgement's vocabulary of actions.
_GROUPS = [
    "audit review reviewed check dip-sample scrutiny scrutinise examine assess assurance monitor",
    "train training trained input briefing educate course module e-learning",
    "record recording log logged classify",
    "appoint appointed designate dedicated post",
    "withdraw withdrew stop cease termination terminate end abolish",
    "adopt adopted implement introduce comply",
    "victim victims survivor",
    "plan planned intend intends will propose",
    "monitor oversight scrutiny governance",
    "rise increase growth more",
    "copy copied cc",
    "recognise recognize identify spot",
    "crime crimes offence offences offense offenses",
]
# Groups for actions a force reports (compare topics): not transitive with the groups above
# ("introduce" is near both "adopt" and "launch", which are not near each other).
_ACTION_GROUPS = [
    "definition description",
    "set establish launch introduce create begin begun start develop",
    "appoint recruit",
    "withdraw withdrew withdrawn remove phase",
    "implement embed",
    "publish produce",
    "fund commission secure",
    "advocate advocacy",
    "wait await",
    "hold held host hosted hosting organise organised run stage staged",
    "obtain grant granted secure",
]
SYNONYM_CREDIT = 0.6


def _table(groups: list[str]) -> dict[str, frozenset[str]]:
    table: dict[str, set[str]] = {}
    for group in groups:
        members = set(tokenize([group.replace("-", " ")])[0]) | set(tokenize([group])[0])
        for stem in members:
            table.setdefault(stem, set()).update(members - {stem})
    return {k: frozenset(v) for k, v in table.items()}


def _merged(*tables: dict[str, frozenset[str]]) -> dict[str, frozenset[str]]:
    out: dict[str, frozenset[str]] = {}
    for table in tables:
        for stem, near in table.items():
            out[stem] = out.get(stem, frozenset()) | near
    return out


NEAR = _table(_GROUPS)
ACTION_NEAR = _merged(NEAR, _table(_ACTION_GROUPS))


# "Police Information Notices (PINs)", "stalking single points of contact (SPOCs)": words, then
# in brackets the capitals that stand for them. The brackets are found first and the words read
# back from each: one pattern for both tried up to seven words at every position of every
# document (7 s for the 526 documents of a 10k-chunk index, on a force question's first call).
_BRACKETED = re.compile(r"\(([A-Z][A-Za-z-]{1,9}?)s?\)")
_WORDS_BEFORE = re.compile(r"((?:[\w'’-]+\s+){1,7})\Z")
_LOOK_BACK = 300  # characters: seven words and the spaces between them
_SMALL = frozenset("of and the for on in to a".split())


def acronyms(texts: Iterable[str]) -> dict[str, frozenset[str]]:
    """Acronym stem -> the stems of the words it stands for, from every "Words (ACR)" in
    `texts` whose words' initials spell the acronym (small words such as "of" may be skipped)."""
    found: dict[str, set[str]] = {}
    for text in texts:
        for m in _BRACKETED.finditer(text):
            before = _WORDS_BEFORE.search(text, max(0, m.start() - _LOOK_BACK), m.start())
            if before is None:
                continue
            letters = [c for c in m.group(1).lower() if c.isalpha()]
            words = before.group(1).split()
            picked: list[str] = []
            while words and letters:
                word = words.pop()
                if word[0].lower() == letters[-1]:
                    picked.append(word)
                    letters.pop()
                elif word.lower() not in _SMALL:
                    break
            if not letters and len(picked) >= 2:
                acronym = stem_sequence(m.group(1))
                expansion = {s for w in picked for s in stem_sequence(w)}
                if len(acronym) == 1 and expansion:
                    found.setdefault(acronym[0], set()).update(expansion)
    return {k: frozenset(v) for k, v in found.items()}


def with_acronyms(carried: frozenset[str], terms: Iterable[str], aliases: dict[str, frozenset[str]]) -> frozenset[str]:
    """`carried` (a sentence's stems), with the `terms` an acronym stands in for either way:
    a question about "PINs" is answered by "stopped issuing Police Information Notices", and
    one about Police Information Notices by "no PIN has been issued"."""
    asked = set(terms)
    added: set[str] = set()
    for acronym, words in aliases.items():
        if acronym in carried and len(words & asked) * 2 >= len(words):  # not "information" alone
            added |= words
        elif words <= carried:
            added.add(acronym)
    return carried | (added & asked) if added else carried


def near_synonyms() -> dict[str, frozenset[str]]:
    return NEAR


def coverage_of(terms: dict[str, float], carried: frozenset[str], table: dict[str, frozenset[str]] = NEAR) -> float:
    """Share of the weighted `terms` that a text with stems `carried` carries (a near-synonym
    counts SYNONYM_CREDIT of the word's weight)."""
    total = sum(terms.values()) or 1.0
    got = 0.0
    for term, weight in terms.items():
        if term in carried:
            got += weight
        elif table.get(term, frozenset()) & carried:
            got += SYNONYM_CREDIT * weight
    return got / total


def specificity(terms: dict[str, float], carried: frozenset[str], ceiling: float) -> float:
    """The weight of the rarest of `terms` that `carried` holds, as a share of `ceiling` (the
    idf of a word found in one chunk: `rarest_weight`)."""
    return max((w for t, w in terms.items() if t in carried), default=0.0) / (ceiling or 1.0)


def rarest_weight(vocabulary: Vocabulary) -> float:
    """The idf a word would have if one chunk used it: the most specific a term can be."""
    return vocabulary.idf("")  # the empty token never occurs: df 0, the idf ceiling


def missing_share(vocabulary: Vocabulary, text: str) -> float:
    """The share of the topical words of `text` that the corpus never uses, nor a near-synonym."""
    found = topical(text)
    if not found:
        return 0.0
    unknown = [s for s in found if not vocabulary.df(s) and not any(vocabulary.df(x) for x in ACTION_NEAR.get(s, ()))]
    return len(unknown) / len(found)


# Adverbs of certainty say how sure the asker is, not what they ask about. Matched as words:
# their stems are other words' ("definitely" and "definition" both stem to "definit").
HEDGES = re.compile(r"\b(?:actually|really|truly|genuinely|indeed|definitely|certainly)\b", re.I)


def topical(text: str) -> list[str]:
    """The stems of `text` that can say what it is about: no function word, generic word or hedge."""
    return [s for s in tokenize([named_groups(HEDGES.sub(" ", text))])[0] if s not in GENERIC]


def weighted_terms(vocabulary: Vocabulary, text: str) -> dict[str, float]:
    """The topical stems of `text` with their idf weights (rare terms weigh more). A word the
    corpus never uses, nor a near-synonym of it, weighs as much as the rarest word it does
    use: it counts, but it cannot outvote the rest of the question."""
    found = topical(text)
    # keyed by the verb an irregular form belongs to, weighed as the word the text used
    weights = {lemma_stem(stem): vocabulary.idf(stem) for stem in found}
    known = [
        stem for stem in weights if vocabulary.df(stem) > 0 or any(vocabulary.df(x) for x in ACTION_NEAR.get(stem, ()))
    ]
    rarest = max((weights[s] for s in known), default=1.0)
    return {stem: (weight if stem in known else rarest) for stem, weight in weights.items()}
