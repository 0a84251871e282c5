"""Ingest: files -> load -> clean -> describe -> chunk -> embed -> index, incrementally.

The unit of change is the file, keyed by content hash: an unchanged file costs a hash, a
changed one replaces its chunks, a vanished one is removed. Chunk texts already embedded
(anywhere in the index) are never embedded again. The hash covers READING_VERSION too, so a
change to how files are read (cleaning, metadata, chunking) re-reads every file on the next
ingest, and an index never mixes two readings.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import time
from collections.abc import Iterable
from pathlib import Path

import numpy as np
from pydantic import BaseModel, Field
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from ingest.chunk import chunk_document, embedding_text
from ingest.clean import PAGE_BREAK, clean
from ingest.describe import describe
from ingest.embed import batch_threads, get_embedder
from ingest.embed_onnx import document_encoder, ensure_exported
from ingest.encoder import EncoderInfo, configured_encoder
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
    # Not in the JSON contract (excluded): the encoder whose vectors the index holds ("all-MiniLM-L6-v2
    # (onnxruntime, fp32)"), and when another model or precision had built it, the chunks already
    # indexed that this run embedded again (all of them) and what had embedded them.
    encoder: str = Field(default="", exclude=True)
    reembedded: int = Field(default=0, exclude=True)
    reembedded_from: str | None = Field(default=None, exclude=True)


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


FOLDER_UNREADABLE = (
    "cannot open the folder ({why}), so its files were not read and those already indexed are kept; "
    "let the user running the ingest read it (chmod u+rx) and run the ingest again"
)
FILE_UNREADABLE = (
    "cannot read the file ({why}); let the user running the ingest read it (chmod u+r) and run the ingest again"
)
PATH_UNREADABLE = (
    "cannot look at this path ({why}); let the user running the ingest search the folders above it "
    "(chmod u+x) and run the ingest again"
)


def _why(exc: OSError) -> str:
    return exc.strerror or type(exc).__name__


def discover(paths: Iterable[Path]) -> tuple[list[Path], list[Failure]]:
    """Files to ingest under `paths`, and the ones that will not be (with why): files of an
    unsupported type, and paths or folders that cannot be read (one failure each)."""
    files: list[Path] = []
    skipped: list[Failure] = []
    for path in paths:
        try:
            is_dir = path.is_dir()
            exists = is_dir or path.exists()
        except OSError as exc:  # a folder on the way cannot be searched
            skipped.append(Failure(path=source_name(path), reason=PATH_UNREADABLE.format(why=_why(exc))))
            continue
        if is_dir:
            candidates = sorted(_files_under(path, skipped))
        elif exists:
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


def _files_under(root: Path, skipped: list[Failure]) -> list[Path]:
    """Every file under `root` not named with a leading dot, as `rglob("*")` finds them
    (symlinked folders not entered); a folder that cannot be listed is a failure, where
    rglob leaves a silent gap."""
    files: list[Path] = []
    folders = [root]
    while folders:
        folder = folders.pop()
        try:
            with os.scandir(folder) as entries:
                listed = list(entries)
        except OSError as exc:
            skipped.append(Failure(path=source_name(folder), reason=FOLDER_UNREADABLE.format(why=_why(exc))))
            continue
        for entry in listed:
            path = Path(entry.path)
            try:
                if entry.is_dir(follow_symlinks=False):
                    folders.append(path)
                elif entry.is_file() and not entry.name.startswith("."):
                    files.append(path)
            except OSError as exc:
                skipped.append(Failure(path=source_name(path), reason=FILE_UNREADABLE.format(why=_why(exc))))
    return files


# Raise it when cleaning, describe or chunking change what a file's text becomes.
READING_VERSION = "2026-12-01"


def reading_hash(path: Path) -> str:
    """The key of one reading of a file: its bytes, read by this READING_VERSION (what the
    index stores as a document's `content_hash`). Raises OSError."""
    h = hashlib.sha256(f"reading {READING_VERSION}\n".encode())
    with path.open("rb") as f:
        for block in iter(lambda: f.read(2**20), b""):
            h.update(block)
    return h.hexdigest()


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
        encoder = configured_encoder(settings.model_path)
        stale = _stale_documents(index, encoder, report, skip={doc_id_for(source_name(f)) for f, _, _ in todo})
        with _progress(show_progress) as progress:
            writer = _BatchWriter(index, settings, report, removals, progress, reuse=not stale)
            for doc in stale:
                writer.add((doc, index.chunks(doc.doc_id)))
                if writer.due():
                    writer.commit()
            reading = progress.add_task("reading", total=len(todo))
            for file, digest, is_update in todo:
                try:
                    built = build_document(file, digest, settings)
                except LoadError as exc:
                    report.failed.append(Failure(path=source_name(file), reason=str(exc)))
                else:
                    writer.add(built)
                    report.updated += is_update
                    report.added += not is_update
                progress.advance(reading)
                if writer.due():
                    writer.commit()
            writer.commit()
            if interrupted:
                index.delete_orphans()
            index.record_encoder(encoder)  # only now: an interrupted re-embed is redone whole
            index.db.execute("INSERT OR REPLACE INTO kv VALUES ('writing', '0')")
        report.removed = len(removals)

    report.encoder = str(encoder)
    stats = index.stats()
    if stats["chunks"]:  # questions will be asked: give them the encoder that starts fast
        ensure_exported(settings.cache_dir, settings.model_path)
    report.documents, report.chunks = stats["documents"], stats["chunks"]
    report.seconds = round(time.perf_counter() - started, 3)
    return report


def _stale_documents(index: Index, encoder: EncoderInfo, report: IngestReport, skip: set[str]) -> list[Document]:
    """The indexed documents to embed again because another model or precision built their
    vectors (one index never mixes two kinds), except those `skip`ped (read again anyway)."""
    built = index.encoder()
    if built is None or built.same_vectors(encoder) or not index.stats()["chunks"]:
        return []
    stale = [doc for doc in index.documents(with_text=True) if doc.doc_id not in skip]
    report.reembedded_from = str(built)
    report.reembedded = sum(index.chunk_counts().get(doc.doc_id, 0) for doc in stale)
    log.warning("the index was built by %s; embedding its %d chunks again with %s", built, report.reembedded, encoder)
    return stale


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
            digest = reading_hash(file)
        except OSError as exc:
            reason = FILE_UNREADABLE.format(why=_why(exc))
            if source in known:
                reason = reason.replace("); ", "), so the version already indexed is kept; ", 1)
            report.failed.append(Failure(path=source, reason=reason))
            continue
        if source in known and known[source][1] == digest:
            report.unchanged += 1
        else:
            todo.append((file, digest, source in known))
    roots = [source_name(p) for p in paths if _is_dir(p)]
    removals = [
        doc_id
        for src, (doc_id, _) in known.items()
        if src not in seen and not _exists(src) and (prune or _under(src, roots))
    ]
    return todo, removals


def _exists(source: str) -> bool:
    """Whether an indexed file may still be there: only a file known to be gone is removed,
    not one in a folder that cannot be searched (a permission that may come back)."""
    path = Path(source)
    try:
        os.stat(path if path.is_absolute() else PROJECT_DIR / path)
    except (FileNotFoundError, NotADirectoryError):
        return False
    except OSError:
        return True
    return True


def _is_dir(path: Path) -> bool:
    try:
        return path.is_dir()
    except OSError:  # cannot be searched: discover() reported it, and nothing under it is removed
        return False


def _under(source: str, roots: list[str]) -> bool:
    return any(source == root or source.startswith(root.rstrip("/") + "/") for root in roots)


# Chunks embedded between two checks of the server (and of the time to commit): 4 batches,
# 2-4 s on two cores; ONNX pads each batch only to its longest text, so a step this long
# loses nothing to padding.
EMBED_STEP_BATCHES = 4


class _BatchWriter:
    """Embeds built documents as they come, a step of chunks at a time, and commits them
    when `settings.commit_every_chunks` chunks wait or `settings.commit_every_seconds` have
    passed since the last commit, whichever comes first: an interrupted build keeps every
    commit it made and loses at most about that long of embedding, and only one batch of
    vectors is ever held in memory. Removals go with the first commit. In server mode the
    server is asked for a heartbeat before each step, so an ingest whose server went away
    stops within a step's time (seconds), not at its next write."""

    def __init__(
        self,
        index: Index,
        settings: IngestSettings,
        report: IngestReport,
        removals: list[str],
        progress: Progress,
        reuse: bool = True,
    ):
        self.index, self.settings, self.report, self.progress = index, settings, report, progress
        self.reuse = reuse  # vectors stored by text hash are reused (not when the encoder changed)
        self.removals = removals
        self.pending: list[tuple[Document, list[Chunk]]] = []
        self.pending_chunks = 0
        self.embedded_docs = 0  # pending[:embedded_docs] have every vector in self.vectors
        self.vectors: dict[str, list[float]] = {}
        self.sentences: dict[str, np.ndarray] = {}
        self.since = time.monotonic()
        self.step = settings.embed_batch_size * EMBED_STEP_BATCHES
        self.embedding = progress.add_task("embedding", total=0)
        self.indexing = progress.add_task("indexing", total=0)

    def add(self, built: tuple[Document, list[Chunk]]) -> None:
        self.pending.append(built)
        self.pending_chunks += len(built[1])
        if sum(len(chunks) for _, chunks in self.pending[self.embedded_docs :]) >= self.step:
            self._embed()

    def due(self) -> bool:
        """Whether the documents waiting should be committed now (by count or by time)."""
        if not self.pending:
            return False
        waited = time.monotonic() - self.since
        return self.pending_chunks >= self.settings.commit_every_chunks or waited >= self.settings.commit_every_seconds

    def commit(self) -> None:
        if not (self.pending or self.removals):
            return
        self._embed()
        self._grow(self.indexing, self.pending_chunks)
        self.index.db.execute("INSERT OR REPLACE INTO kv VALUES ('writing', '1')")
        self.index.write(
            self.pending,
            self.removals,
            self.vectors,
            on_progress=lambda n: self.progress.advance(self.indexing, n),
            sentence_vectors=self.sentences,
        )
        self.pending, self.pending_chunks, self.removals, self.embedded_docs = [], 0, [], 0
        self.vectors, self.sentences = {}, {}
        self.since = time.monotonic()

    def _grow(self, task, n: int) -> None:
        """Totals are known a batch at a time."""
        self.progress.update(task, total=self.progress.tasks[task].total + n)

    def _embed(self) -> None:
        """Vectors for the chunks of the documents not embedded yet, and for their sentences:
        reused by text hash when stored, else computed (by the ONNX encoder; by
        sentence-transformers, with no sentence vectors, for a model that cannot be exported)."""
        waiting = self.pending[self.embedded_docs :]
        self.embedded_docs = len(self.pending)
        wanted = {c.text_hash: (doc, c) for doc, chunks in waiting for c in chunks if c.text_hash not in self.vectors}
        if not wanted:
            return
        encoder = document_encoder(self.settings.cache_dir, self.settings.model_path)
        stored = self.index.existing_embeddings(list(wanted), with_sentences=encoder is not None) if self.reuse else {}
        self.vectors.update(stored)  # their sentence vectors are stored already
        missing = [h for h in wanted if h not in stored]
        self._grow(self.embedding, len(missing))
        for i in range(0, len(missing), self.step):
            self.index.ensure_reachable("the ingest was embedding documents")
            part = missing[i : i + self.step]
            texts = [embedding_text(wanted[h][0], wanted[h][1].section, wanted[h][1].text) for h in part]
            if encoder is not None:
                matrix, per_text = encoder.encode(texts, [[s.text for s in wanted[h][1].sentences] for h in part])
                self.vectors.update(zip(part, matrix.tolist(), strict=True))
                self.sentences.update(zip(part, per_text, strict=True))
            else:
                embedder = get_embedder(self.settings.model_path, self.settings.embed_batch_size)
                with batch_threads():
                    self.vectors.update(zip(part, embedder.embed_documents(texts), strict=True))
            self.progress.advance(self.embedding, len(part))
            self.report.embedded += len(part)
