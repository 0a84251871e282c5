"""What the index holds, for `status` and the web app's Documents tab."""

from __future__ import annotations

from assistant.settings import Settings
from assistant.types import DocumentInfo, IndexInfo
from ingest.encoder import EncoderChanged, check_same, configured_encoder
from ingest.store import Index


def document_infos(index: Index) -> list[DocumentInfo]:
    counts = index.chunk_counts()
    infos = []
    for doc in index.documents():
        m = doc.meta
        infos.append(
            DocumentInfo(
                doc_id=doc.doc_id,
                source=doc.source,
                title=m.title,
                force=m.force,
                author_name=m.author_name,
                author_role=m.author_role.value if m.author_role else None,
                doc_type=m.doc_type.value,
                date=m.date.isoformat() if m.date else None,
                recipient=m.recipient,
                report=m.report,
                pages=doc.pages,
                chunks=counts.get(doc.doc_id, 0),
            )
        )
    return infos


def describe_index(settings: Settings, check: bool = False, repair: bool = False) -> IndexInfo:
    index = Index(settings)
    docs = document_infos(index)
    store = (
        f"Chroma server {settings.chroma_host}:{settings.chroma_port}"
        if settings.server_mode
        else f"embedded Chroma at {index.dir / 'chroma'}"
    )
    info = IndexInfo(
        location=str(index.dir),
        store=store,
        model=settings.model_path,
        documents=docs,
        chunks=sum(d.chunks for d in docs),
        forces=sorted({d.force for d in docs if d.force}),
        checked=check,
    )
    if built := index.encoder():
        info.encoder = str(built)
        try:
            check_same(built, configured_encoder(settings.model_path))
        except EncoderChanged as exc:
            info.encoder_problem = str(exc)
    if check:
        info.problems = index.check(repair=repair)
    return info
