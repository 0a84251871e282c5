"""Ingest: files -> load -> clean -> describe -> chunk -> embed -> index, incrementally.

The unit of change is the file, keyed by content hash: an unchanged file costs a hash, a
changed one replaces its chunks, a vanished one is removed. Chunk texts already embedded
(anywhere in the index) are never embedded again.
"""

from __future__ import annotations

import hashlib
import logging
import re
import time
from collections.abc import Iterable
from pathlib import Path

from pydantic import BaseModel, Field
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from ingest.chunk import chunk_document, embedding_text
from ingest.clean import PAGE_BREAK, clean
from ingest.describe import describe
from ingest.embed import batch_threads, get_embedder
from ingest.embed_onnx import ensure_exported
from ingest.load import SUPPORTED_SUFFIXES, LoadError, load_file
from ingest.settings import PROJECT_DIR, IngestSettings
from ingest.store import Index
from ingest.types import Chunk, Document

log = logging.getLogger(__name__)


class Failure(BaseModel):
    path: str
    reason: str


class IngestReport(BaseModel):
    """The `ingest --json` contract (DESIGN.md)."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    failed: list[Failure] = Field(default_factory=list)
    documents: int = 0
    chunks: int = 0
    embedded: int = 0
    seconds: float = 0.0


def source_name(path: Path) -> str:
    """How a file is named in the index: relative to the project when inside it."""
    path = path.resolve()
    try:
        return str(path.relative_to(PROJECT_DIR))
    except ValueError:
        return str(path)


def doc_id_for(source: str) -> str:
    """Stable across edits of the file: derived from its name and place, not its content."""
    stem = re.sub(r"[^a-z0-9]+", "-", Path(source).stem.lower()).strip("-")[:60] or "doc"
    return f"{stem}-{hashlib.sha1(source.encode()).hexdigest()[:6]}"


def discover(paths: Iterable[Path]) -> tuple[list[Path], list[Failure]]:
    """Files to ingest under `paths`, and the ones that will not be (with why)."""
    files, skipped = [], []
    for path in paths:
        if path.is_dir():
            candidates = sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith("."))
        elif path.exists():
            candidates = [path]
        else:
            skipped.append(Failure(path=str(path), reason="no such file or directory"))
            continue
        for file in candidates:
            if file.suffix.lower() in SUPPORTED_SUFFIXES:
                files.append(file)
            else:
                skipped.append(
                    Failure(
                        path=source_name(file),
                        reason=f"unsupported file type '{file.suffix or '(none)'}' "
                        f"(supported: {', '.join(SUPPORTED_SUFFIXES)})",
                    )
                )
    return files, skipped


def build_document(path: Path, data_hash: str, settings: IngestSettings) -> tuple[Document, list[Chunk]]:
    """Load, clean, describe and chunk one file. Raises LoadError."""
    pages = load_file(path, max_bytes=settings.max_upload_mb * 2**20, pdf_timeout_s=settings.pdf_timeout_s)
    text, page_starts = "", list[int]()
    for page in pages:
        if page_starts:
            text += PAGE_BREAK
        page_starts.append(len(text))
        text += page.text
    cleaned = clean(text)
    if not cleaned.text.strip():
        raise LoadError("no extractable text, needs OCR")
    source = source_name(path)
    doc = Document(
        doc_id=doc_id_for(source),
        source=source,
        content_hash=data_hash,
        text=text,
        page_starts=page_starts,
        meta=describe(cleaned.text),
    )
    return doc, chunk_document(doc, cleaned, size=settings.chunk_size, overlap=settings.chunk_overlap)


def _progress(show: bool) -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        disable=not show,
        transient=False,
    )


def ingest(
    settings: IngestSettings,
    paths: list[Path] | None = None,
    *,
    rebuild: bool = False,
    prune: bool = False,
    show_progress: bool = False,
    wait: float = 0,
) -> IngestReport:
    """Bring the index in line with `paths` (default: the corpus dir).

    Files that vanished from a directory given in `paths` are removed from the index; with
    `prune`, so is every indexed file that no longer exists. Raises IndexBusy when another
    writer holds the index for longer than `wait` seconds.
    """
    started = time.perf_counter()
    paths = paths or [Path(settings.corpus_dir)]
    index = Index(settings)
    report = IngestReport()
    with index.write_lock(timeout=wait):
        interrupted = index.get("writing") == "1"
        if rebuild:
            index.reset()
        elif interrupted:
            log.warning("the last ingest was interrupted; repairing the index")
            index.check_ids(repair=True, keep_orphans=True)

        todo, removals = _plan(index, paths, prune, report)
        with _progress(show_progress) as progress:
            writer = _BatchWriter(index, settings, report, removals, progress)
            reading = progress.add_task("reading", total=len(todo))
            for file, digest, is_update in todo:
                try:
                    writer.add(build_document(file, digest, settings))
                    report.updated += is_update
                    report.added += not is_update
                except LoadError as exc:
                    report.failed.append(Failure(path=source_name(file), reason=str(exc)))
                progress.advance(reading)
                if writer.pending_chunks >= settings.commit_every_chunks:
                    writer.commit()
            writer.commit()
            if interrupted:
                index.delete_orphans()
            index.db.execute("INSERT OR REPLACE INTO kv VALUES ('writing', '0')")
        report.removed = len(removals)

    stats = index.stats()
    if stats["chunks"]:  # questions will be asked: give them the encoder that starts fast
        ensure_exported(settings.cache_dir, settings.model_path)
    report.documents, report.chunks = stats["documents"], stats["chunks"]
    report.seconds = round(time.perf_counter() - started, 3)
    return report


def _plan(
    index: Index, paths: list[Path], prune: bool, report: IngestReport
) -> tuple[list[tuple[Path, str, bool]], list[str]]:
    """(files to read as (path, content hash, is an update), doc ids to remove); counts the
    unchanged files and records the unreadable ones in `report`."""
    files, skipped = discover(paths)
    report.failed += skipped
    known = index.hashes()
    seen: set[str] = set()
    todo: list[tuple[Path, str, bool]] = []
    for file in files:
        source = source_name(file)
        seen.add(source)
        try:
            digest = hashlib.sha256(file.read_bytes()).hexdigest()
        except OSError as exc:
            report.failed.append(Failure(path=source, reason=f"cannot read file ({exc.strerror})"))
            continue
        if source in known and known[source][1] == digest:
            report.unchanged += 1
        else:
            todo.append((file, digest, source in known))
    roots = [source_name(p) for p in paths if p.is_dir()]
    removals = [
        doc_id
        for src, (doc_id, _) in known.items()
        if src not in seen and not _exists(src) and (prune or _under(src, roots))
    ]
    return todo, removals


def _exists(source: str) -> bool:
    path = Path(source)
    return (path if path.is_absolute() else PROJECT_DIR / path).exists()


def _under(source: str, roots: list[str]) -> bool:
    return any(source == root or source.startswith(root.rstrip("/") + "/") for root in roots)


class _BatchWriter:
    """Embeds and commits built documents a batch at a time (settings.commit_every_chunks):
    an hour-long build that is interrupted keeps every batch it committed, and only one
    batch of vectors is ever held in memory. Removals go with the first commit."""

    def __init__(
        self, index: Index, settings: IngestSettings, report: IngestReport, removals: list[str], progress: Progress
    ):
        self.index, self.settings, self.report, self.progress = index, settings, report, progress
        self.removals = removals
        self.pending: list[tuple[Document, list[Chunk]]] = []
        self.pending_chunks = 0
        self.embedding = progress.add_task("embedding", total=0)
        self.indexing = progress.add_task("indexing", total=0)

    def add(self, built: tuple[Document, list[Chunk]]) -> None:
        self.pending.append(built)
        self.pending_chunks += len(built[1])

    def commit(self) -> None:
        if not (self.pending or self.removals):
            return
        vectors = self._embed() if self.pending else {}
        self._grow(self.indexing, self.pending_chunks)
        self.index.db.execute("INSERT OR REPLACE INTO kv VALUES ('writing', '1')")
        self.index.write(
            self.pending, self.removals, vectors, on_progress=lambda n: self.progress.advance(self.indexing, n)
        )
        self.pending, self.pending_chunks, self.removals = [], 0, []

    def _grow(self, task, n: int) -> None:
        """Totals are known a batch at a time."""
        self.progress.update(task, total=self.progress.tasks[task].total + n)

    def _embed(self) -> dict[str, list[float]]:
        """Vectors for every pending chunk: reused by text hash when stored, else computed."""
        wanted = {c.text_hash: (doc, c) for doc, chunks in self.pending for c in chunks}
        vectors = self.index.existing_embeddings(list(wanted))
        missing = [h for h in wanted if h not in vectors]
        self._grow(self.embedding, len(missing))
        if missing:
            embedder = get_embedder(self.settings.model_path, self.settings.embed_batch_size)
            step = self.settings.embed_batch_size * 8
            with batch_threads():
                for i in range(0, len(missing), step):
                    part = missing[i : i + step]
                    texts = [embedding_text(wanted[h][0], wanted[h][1].section, wanted[h][1].text) for h in part]
                    for h, vector in zip(part, embedder.embed_documents(texts), strict=False):
                        vectors[h] = vector
                    self.progress.advance(self.embedding, len(part))
        self.report.embedded += len(missing)
        return vectors
