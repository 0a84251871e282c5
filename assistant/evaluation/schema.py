"""Question sets: read, validate against the fixed schema (DESIGN.md), resolve gold documents.

Two kinds of set live in `evals/`:
- question sets: items `{id, question | turns, expect: {docs, facts, forces, not_forces, abstain}}`;
- compare sets: items `{id, topic, expect: {FORCE: STATUS}}` (a file is one when its items
  have `topic`).

Every problem in every file is collected before anything runs, and reported as one
`SetError` whose lines name the file, the item (number and id) and the field.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError, field_validator, model_validator
from pydantic_core import PydanticCustomError

from assistant.types import Status
from ingest.forces import normalise_force
from ingest.types import Document

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
# Which half of a set an item is in (DESIGN.md): thresholds, weights and cue tables are chosen
# on `tune` items only; floors and reported figures come from `heldout` ones. An item without
# `split` is held out.
Split = Literal["tune", "heldout"]


class SetError(ValueError):
    """One or more question sets do not fit the schema; `problems` holds one line each."""

    def __init__(self, problems: Sequence[str]):
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


class _Strict(BaseModel):
    # YAML reads `800` and `id: 1` as numbers; a set author means text, so numbers become strings.
    model_config = ConfigDict(extra="forbid", coerce_numbers_to_str=True, frozen=True)


def _canonical_forces(names: list[str]) -> list[str]:
    out = []
    for name in names:
        canonical = normalise_force(name)
        if canonical is None:
            raise PydanticCustomError(
                "unknown_force",
                "unknown force '{name}' (use a name such as 'Gwent' or 'Devon and Cornwall')",
                {"name": name},
            )
        out.append(canonical)
    return out


class Expect(_Strict):
    """What a good answer does (all optional; `abstain` defaults to false)."""

    docs: list[Text] = Field(default_factory=list)
    facts: list[Annotated[list[Text], Field(min_length=1)]] = Field(default_factory=list)
    forces: list[Text] = Field(default_factory=list)
    not_forces: list[Text] = Field(default_factory=list)
    abstain: bool = False

    @field_validator("forces", "not_forces")
    @classmethod
    def _known_forces(cls, names: list[str]) -> list[str]:
        return _canonical_forces(names)

    @model_validator(mode="after")
    def _disjoint(self) -> Expect:
        both = sorted(set(self.forces) & set(self.not_forces))
        if both:
            raise PydanticCustomError(
                "contradiction", "{names} listed in both forces and not_forces", {"names": ", ".join(both)}
            )
        return self


class QuestionItem(_Strict):
    """One scripted question (or conversation: `turns`, the last one scored)."""

    id: Text
    question: Text | None = None
    turns: Annotated[list[Text], Field(min_length=1)] | None = None
    expect: Expect = Field(default_factory=Expect)
    split: Split = "heldout"

    @model_validator(mode="after")
    def _question_or_turns(self) -> QuestionItem:
        if self.question is not None and self.turns is not None:
            raise PydanticCustomError("question_and_turns", _BOTH)
        if self.question is None and self.turns is None:
            raise PydanticCustomError("missing_question", _NEITHER)
        return self

    @property
    def asked(self) -> list[str]:
        """The turns in order (one for a single question)."""
        return list(self.turns) if self.turns is not None else [self.question or ""]


class CompareItem(_Strict):
    """One topic and the status each force's documents give it."""

    id: Text
    topic: Text
    expect: Annotated[dict[str, Status], Field(min_length=1)]
    split: Split = "heldout"

    @field_validator("expect")
    @classmethod
    def _known_forces(cls, expect: dict[str, Status]) -> dict[str, Status]:
        return dict(zip(_canonical_forces(list(expect)), expect.values(), strict=True))


@dataclass
class QuestionSet:
    """A validated set: its items and, per item id, the gold documents as doc ids."""

    path: Path
    kind: Literal["questions", "compare"]
    items: Sequence[QuestionItem | CompareItem]
    gold: dict[str, list[str]] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def questions(self) -> list[QuestionItem]:
        return [item for item in self.items if isinstance(item, QuestionItem)]

    @property
    def topics(self) -> list[CompareItem]:
        return [item for item in self.items if isinstance(item, CompareItem)]


def load_sets(paths: Iterable[Path | str], documents: Iterable[Document]) -> list[QuestionSet]:
    """Read and validate every set, resolving gold documents against `documents`.

    Raises SetError listing every problem in every file (nothing is returned half-checked).
    """
    resolver = GoldResolver(documents)
    sets, problems = [], []
    for path in paths:
        qset, found = _load_one(Path(path), resolver)
        problems += found
        if qset is not None:
            sets.append(qset)
    if problems:
        raise SetError(problems)
    return sets


def _read_list(path: Path) -> tuple[list | None, str | None]:
    """The YAML list in `path`, or (None, why it is not one)."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        return None, f"{path}: cannot read ({exc.strerror or exc})"
    except UnicodeDecodeError:
        return None, f"{path}: not UTF-8 text"
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark else ""
        return None, f"{path}: not valid YAML{where} ({getattr(exc, 'problem', None) or exc})"
    if not isinstance(raw, list) or not raw:
        return None, f"{path}: a question set is a non-empty YAML list of items (got {type(raw).__name__})"
    return raw, None


def _load_one(path: Path, resolver: GoldResolver) -> tuple[QuestionSet | None, list[str]]:
    raw, why = _read_list(path)
    if raw is None:
        return None, [why or str(path)]
    compare = any(isinstance(item, dict) and "topic" in item for item in raw)
    model: type[QuestionItem] | type[CompareItem] = CompareItem if compare else QuestionItem
    items: list[QuestionItem | CompareItem] = []
    problems: list[str] = []
    seen: set[str] = set()
    for number, raw_item in enumerate(raw, 1):
        label = _label(number, raw_item)
        if not isinstance(raw_item, dict):
            problems.append(
                f"{path}: {label}: an item is a mapping with keys {_keys(model)} (got {type(raw_item).__name__})"
            )
            continue
        found = _shape_problems(raw_item) if model is QuestionItem else []
        try:
            item = model.model_validate(raw_item)
        except ValidationError as exc:
            found += [line for line in explain(exc, model) if line not in found]
        problems += [f"{path}: {label}: {line}" for line in found]
        if found:
            continue
        if item.id in seen:
            problems.append(f"{path}: {label}: field `id`: duplicate id '{item.id}' in this file")
        seen.add(item.id)
        items.append(item)

    gold = _gold(path, items, resolver, problems)
    if problems:
        return None, problems
    return QuestionSet(path=path, kind="compare" if compare else "questions", items=items, gold=gold), []


def _gold(
    path: Path, items: Sequence[QuestionItem | CompareItem], resolver: GoldResolver, problems: list[str]
) -> dict[str, list[str]]:
    """Item id -> its gold documents as doc ids; an entry that names no indexed document is a problem."""
    gold = {}
    for number, item in enumerate(items, 1):
        if isinstance(item, QuestionItem):
            doc_ids = []
            for i, entry in enumerate(item.expect.docs):
                doc_id, why = resolver.resolve(entry)
                if doc_id is None:
                    problems.append(f"{path}: {_label(number, {'id': item.id})}: field `expect.docs[{i}]`: {why}")
                else:
                    doc_ids.append(doc_id)
            gold[item.id] = list(dict.fromkeys(doc_ids))
    return gold


def _shape_problems(raw_item: dict) -> list[str]:
    # Checked on the raw mapping because pydantic skips model validators once a field fails,
    # and "no question" is the first thing an author needs to hear.
    has_question, has_turns = "question" in raw_item, "turns" in raw_item
    if has_question and has_turns:
        return [f"field `question`: {_BOTH}"]
    if not (has_question or has_turns):
        return [f"field `question`: {_NEITHER}"]
    return []


_BOTH = "give `question` or `turns`, not both"
_NEITHER = "missing `question` (or `turns` for a conversation)"


def _label(number: int, raw_item: object) -> str:
    item_id = raw_item.get("id") if isinstance(raw_item, dict) else None
    return f"item {number}" + (f" (id {item_id})" if item_id is not None else "")


def _keys(model: type[BaseModel]) -> str:
    return ", ".join(model.model_fields)


def explain(exc: ValidationError, model: type[BaseModel]) -> list[str]:
    """One readable line per pydantic error: `field `expect.facts[0]`: what is wrong`."""
    lines = []
    for error in exc.errors():
        loc = list(error["loc"])
        where = _dotted(loc)
        kind = error["type"]
        if kind == "extra_forbidden":
            owner = Expect if loc and loc[0] == "expect" and model is QuestionItem else model
            lines.append(f"unknown key `{where}` (allowed here: {_keys(owner)})")
        elif kind == "missing":
            lines.append(f"field `{where}`: missing (required)")
        elif kind in ("question_and_turns", "missing_question"):
            lines.append(f"field `question`: {error['msg']}")
        else:
            got = error.get("input")
            shown = repr(got) if not isinstance(got, (dict, list)) or len(repr(got)) < 60 else type(got).__name__
            hint = (
                '; each facts group is a list of alternatives, e.g. ["800", "eight hundred"]'
                if kind == "list_type" and loc[:2] == ["expect", "facts"]
                else ""
            )
            lines.append(f"field `{where or '(item)'}`: {error['msg']} (got {shown}){hint}")
    return lines


def _dotted(loc: list) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


class GoldResolver:
    """Gold documents given as doc ids, corpus paths ("corpus/x.txt") or bare file names."""

    def __init__(self, documents: Iterable[Document]):
        self.documents = list(documents)

    def resolve(self, entry: str) -> tuple[str | None, str]:
        """(doc_id, "") when `entry` names exactly one indexed document, else (None, why)."""
        entry = entry.strip()
        name = Path(entry).name
        rules = (
            lambda d: d.doc_id == entry,
            lambda d: d.source == entry,
            lambda d: d.source.endswith("/" + entry.lstrip("./")),
            lambda d: Path(d.source).name == name,
        )
        for rule in rules:
            found = [d for d in self.documents if rule(d)]
            if len(found) == 1:
                return found[0].doc_id, ""
            if len(found) > 1:
                return None, (
                    f"gold doc '{entry}' is ambiguous: it matches "
                    f"{', '.join(d.source for d in found[:4])}; give the corpus path or doc id"
                )
        if not self.documents:
            return None, f"gold doc '{entry}' is not in the index (the index is empty: run `assistant ingest`)"
        return None, (
            f"gold doc '{entry}' is not in the index ({len(self.documents)} documents, e.g. "
            f"{self.documents[0].source}); ingest it or fix the path"
        )
