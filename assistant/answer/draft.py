"""An answer before it is an `Answer`: its text with [n] markers and the citations they
name; and the abstention every answerer gives when the documents do not say."""

from __future__ import annotations

from dataclasses import dataclass, field

from assistant.answer.evidence import Evidence, citation
from assistant.answer.understand import Query
from assistant.answer.verify import escape_quoted_markers
from assistant.types import Citation
from ingest.types import DocType, Document


@dataclass
class Draft:
    """An answer before serialisation: text with [n] markers and the citations they name."""

    text: str
    citations: list[Citation] = field(default_factory=list)
    forces: list[str] = field(default_factory=list)
    abstained: bool = False


def abstain(query: Query, why: str = "") -> Draft:
    scope = f" (filters: {query.filters.describe()})" if not query.filters.is_empty() else ""
    reason = why or f"no passage in the corpus answers “{query.question}”"
    return Draft(text=f"The documents do not say{scope}: {reason}.", abstained=True)


def label(ev: Evidence) -> str:
    """Where a quote comes from, in a few words: "Gwent letter to the Home Secretary, 14 May 2019"."""
    m = ev.doc.meta
    dated = f", {when(ev.doc)}" if m.date else ""
    who = f"{m.force} " if m.force else ""
    kind = "document" if m.doc_type is DocType.other else m.doc_type.value  # not "Surrey other"
    return f"{who}{kind}{dated}"


def when(doc: Document) -> str:
    """The document's date as precisely as the document gives it ("1 August 2019", "July 2019")."""
    d = doc.meta.date
    if d is None:
        return ""
    return {"day": f"{d:%-d %B %Y}", "month": f"{d:%B %Y}", "year": f"{d:%Y}"}[doc.meta.date_precision]


def quote_lines(chosen: list[Evidence], start: int = 1) -> tuple[list[str], list[Citation]]:
    """One "- source: “quote” [n]" line per sentence, and its citation numbered from `start`."""
    citations = [citation(start + i, e) for i, e in enumerate(chosen)]
    lines = [
        escape_quoted_markers(f"- {label(e)}: “{c.quote}” [{c.n}]") for e, c in zip(chosen, citations, strict=True)
    ]
    return lines, citations
