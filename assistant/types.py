"""Typed data that crosses the assistant boundary: filters and hits in, answers out.

`Answer` serialises to exactly the `ask --json` contract in DESIGN.md.
"""

from __future__ import annotations

from datetime import date as Date
from enum import StrEnum

from pydantic import BaseModel, Field


class Filters(BaseModel):
    """Metadata filters applied to retrieval. Empty lists / None mean "any"."""

    forces: list[str] = Field(default_factory=list)
    doc_types: list[str] = Field(default_factory=list)
    since: Date | None = None
    until: Date | None = None

    def is_empty(self) -> bool:
        return not (self.forces or self.doc_types or self.since or self.until)

    def describe(self) -> str:
        """Human phrase for the filters in force, e.g. "force: Gwent; since 2019-01-01"."""
        parts = []
        if self.forces:
            parts.append("force: " + ", ".join(self.forces))
        if self.doc_types:
            parts.append("type: " + ", ".join(self.doc_types))
        if self.since:
            parts.append(f"since {self.since.isoformat()}")
        if self.until:
            parts.append(f"until {self.until.isoformat()}")
        return "; ".join(parts)


class Hit(BaseModel):
    """A chunk scored against a question."""

    chunk_id: str
    doc_id: str
    score: float
    dense: float = 0.0
    keyword: float = 0.0


class Citation(BaseModel):
    n: int
    doc_id: str
    source: str
    title: str
    force: str | None
    date: str | None
    page: int
    start: int
    end: int
    quote: str
    score: float


class Status(StrEnum):
    done = "done"
    in_progress = "in_progress"
    planned = "planned"
    not_mentioned = "not_mentioned"
    declined = "declined"


class Reading(BaseModel):
    """How the assistant read a question: the standalone question it answered (a follow-up
    resolved against the conversation), the filters in force, which of them the question
    itself named, and where the filter panel and the question disagreed (the panel wins)."""

    question: str
    follow_up: bool = False
    filters: Filters = Field(default_factory=Filters)
    from_question: list[str] = Field(default_factory=list)  # "force Gwent", "since 2019-01-01"
    overridden: list[str] = Field(default_factory=list)  # "the question names Gwent; the Force filter is Kent"


class Answer(BaseModel):
    question: str
    answer: str
    abstained: bool
    forces: list[str] = Field(default_factory=list)
    citations: list[Citation] = Field(default_factory=list)
    timings_ms: dict[str, float] = Field(default_factory=dict)
    # Not part of the `ask --json` contract (DESIGN.md): surfaces show it ("Read as: ...").
    reading: Reading | None = Field(default=None, exclude=True)


class CompareCell(BaseModel):
    topic: str
    force: str
    status: Status
    date: str | None = None
    citations: list[Citation] = Field(default_factory=list)
    # Not part of the `compare --json` contract: why, for the web app's Compare tab. `cue` is
    # the phrase of the deciding sentence that gave the status ("has not yet audited"); for a
    # `not_mentioned` cell, `near` holds the closest passages that did not speak to the topic.
    cue: str | None = Field(default=None, exclude=True)
    near: list[Citation] = Field(default_factory=list, exclude=True)


class Comparison(BaseModel):
    topics: list[str]
    forces: list[str]
    cells: list[CompareCell]


class DocumentInfo(BaseModel):
    """One indexed document as `status` and the Documents tab show it."""

    doc_id: str
    source: str
    title: str
    force: str | None
    author_name: str | None
    author_role: str | None
    doc_type: str
    date: str | None
    recipient: str | None
    report: str | None
    pages: int
    chunks: int


class IndexInfo(BaseModel):
    """What the index holds and where (`status --json`)."""

    location: str
    store: str
    model: str
    # The encoder that built the vectors (model, runtime, precision), and a sentence when the
    # configured one would embed questions differently (then `ingest` re-embeds the index).
    encoder: str | None = None
    encoder_problem: str | None = None
    documents: list[DocumentInfo] = Field(default_factory=list)
    chunks: int = 0
    forces: list[str] = Field(default_factory=list)
    checked: bool = False
    problems: list[str] = Field(default_factory=list)
