"""Ingest: documents in, an index out. The flow, one module each:

    load      pypdf (in a bounded worker process) for PDFs, text and markdown as one page
    clean     PDF and markup debris out, with an offset map back to the original text
    describe  force, author, role, type, date, recipient, report: from the text alone
    chunk     structure-aware chunks, each sentence with its span in the original
    embed     sentence-transformers (embed_onnx: the ONNX export questions are embedded with)
    store     the manifest (SQLite, the commit point), Chroma and the bm25s keyword index
    pipeline  the incremental ingest that runs them (`ingest()`), by content hash

`settings.IngestSettings` holds the knobs; `errors` the failures a user can act on. Nothing
here imports the assistant that answers from the index.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ingest.errors import IndexBusy, IndexUnavailable, IngestError, ModelMissing
    from ingest.pipeline import IngestReport, ingest
    from ingest.settings import IngestSettings
    from ingest.store import Index
    from ingest.types import Chunk, Document, DocumentMeta, Sentence

__all__ = [
    "Chunk",
    "Document",
    "DocumentMeta",
    "IndexBusy",
    "IndexUnavailable",
    "IngestError",
    "IngestReport",
    "IngestSettings",
    "Index",
    "ModelMissing",
    "Sentence",
    "ingest",
]

# The public names are loaded on first use, not here: the PDF worker process imports
# `ingest.load` alone, under a memory cap, and must not pay for Chroma and langchain.
_WHERE = {
    "Chunk": "ingest.types",
    "Document": "ingest.types",
    "DocumentMeta": "ingest.types",
    "Sentence": "ingest.types",
    "IndexBusy": "ingest.errors",
    "IndexUnavailable": "ingest.errors",
    "IngestError": "ingest.errors",
    "ModelMissing": "ingest.errors",
    "IngestReport": "ingest.pipeline",
    "ingest": "ingest.pipeline",
    "IngestSettings": "ingest.settings",
    "Index": "ingest.store",
}


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module 'ingest' has no attribute {name!r}")
    return getattr(importlib.import_module(_WHERE[name]), name)
