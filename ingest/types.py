"""Typed data that crosses the ingest boundary: pages in, documents and chunks out."""

from __future__ import annotations

from datetime import date as Date
from enum import StrEnum

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
    other = "other"


class AuthorRole(StrEnum):
    pcc = "PCC"
    chief_constable = "Chief Constable"
    other = "other"


class DocumentMeta(BaseModel):
    """What a document is, derived from its text (never from its file name)."""

    force: str | None = None  # normalised force / PCC area, e.g. "Devon and Cornwall"
    author_name: str | None = None
    author_role: AuthorRole | None = None
    doc_type: DocType = DocType.other
    date: Date | None = None
    recipient: str | None = None
    report: str | None = None  # the inspection report answered, e.g. "Living in Fear (2017)"
    title: str = ""


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
