"""Typed data that crosses the ingest boundary: pages in, documents and chunks out."""

from __future__ import annotations

from datetime import date as Date
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, Field


class Page(BaseModel):
    """One page of extracted text, as the loader saw it (1-based page number)."""

    number: int
    text: str


class DocType(StrEnum):
    letter_home_secretary = "letter to the Home Secretary"
    board_paper = "board paper"
    published_comments = "published comments"
    letter = "letter"
    minutes = "minutes"  # minutes of a meeting of a board, committee or panel
    press_release = "press release"  # a press release or a web news item
    web_page = "web page"  # any other web page ("Last updated: ...", a breadcrumb trail)
    annual_report = "annual report"  # an annual report or a chapter of one
    action_plan = "action plan"  # a recommendations tracker, action plan or RAG table export
    email = "email"  # an email with From:/Sent:/To:/Subject: header lines
    other = "other"


class AuthorRole(StrEnum):
    pcc = "PCC"
    deputy_pcc = "Deputy PCC"
    chief_constable = "Chief Constable"
    other = "other"


# How much of `DocumentMeta.date` the document states: "July 2019" is stored as 1 July 2019
# with precision "month"; "2019" as 1 January 2019 with precision "year".
DatePrecision = Literal["day", "month", "year"]


class Author(BaseModel):
    """One signatory or writer of a document."""

    name: str | None = None
    role: AuthorRole | None = None
    evidence: str = ""  # the line of the (normalised) text the name, else the role, was read from


class DocumentMeta(BaseModel):
    """What a document is, derived from its text (never from its file name)."""

    force: str | None = None  # normalised force / PCC area, e.g. "Devon and Cornwall"
    # The writer; for a document signed jointly, "Name One and Name Two" with the first
    # signatory's role (each signatory is in `authors`).
    author_name: str | None = None
    author_role: AuthorRole | None = None
    authors: list[Author] = Field(default_factory=list)
    doc_type: DocType = DocType.other
    date: Date | None = None
    date_precision: DatePrecision = "day"
    recipient: str | None = None  # to whom it is addressed: a person, an office, a board
    copied: str | None = None  # who else it went to: its "Cc:" line
    # The board, committee or panel a paper goes to or minutes record (a paper's board is
    # also its recipient; minutes have a meeting and no recipient).
    meeting: str | None = None
    meeting_date: Date | None = None  # the day that board met (minutes: the meeting they record)
    report: str | None = None  # the inspection report answered, e.g. "Living in Fear (2017)"
    title: str = ""
    # Where each field was read: field name ("author", "role", "date", "recipient", "copied",
    # "meeting", "meeting_date", "force", "doc_type") -> the line of the normalised text that states it.
    evidence: dict[str, str] = Field(default_factory=dict)


class Document(BaseModel):
    """A loaded, cleaned, described document.

    `text` is the extracted text exactly as loaded (pages joined by a form feed); citation
    offsets point into it. `page_starts[i]` is the offset of page i+1 in `text`.
    """

    doc_id: str
    source: str  # path as given, relative to the project when inside it
    content_hash: str
    text: str
    page_starts: list[int]
    meta: DocumentMeta

    def page_at(self, offset: int) -> int:
        """1-based page number holding character `offset` of `text`."""
        page = 1
        for i, start in enumerate(self.page_starts):
            if start <= offset:
                page = i + 1
            else:
                break
        return page

    @property
    def pages(self) -> int:
        return len(self.page_starts)


class Sentence(BaseModel):
    """A sentence of a chunk: cleaned text plus its span in the original document text."""

    text: str
    start: int
    end: int


class Chunk(BaseModel):
    """A retrievable passage: cleaned text for search, original span for citation."""

    chunk_id: str
    doc_id: str
    ordinal: int
    page: int
    start: int  # offsets into Document.text
    end: int
    section: str = ""
    text: str  # cleaned text: what is embedded and keyword-indexed
    text_hash: str
    sentences: list[Sentence] = Field(default_factory=list)
