"""The index on disk: a manifest (SQLite), vectors (Chroma) and a keyword index (bm25s).

The manifest is the record of what is indexed. A write puts new vectors into Chroma first,
builds the next keyword index beside the current one, then commits the manifest in one
transaction (the commit point), then deletes replaced vectors. A crash at any step leaves
the old manifest valid; `reconcile` removes vectors no manifest row owns and rebuilds a
missing keyword index, so the next start repairs what a crash left.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import shutil
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from functools import cached_property
from pathlib import Path

import httpx
import numpy as np
from filelock import FileLock, Timeout

from ingest.clean import PAGE_BREAK, clean
from ingest.embed import get_embedder
from ingest.encoder import EncoderInfo, encoder_info
from ingest.errors import IndexBusy, IndexUnavailable, IngestError
from ingest.keyword import KeywordIndex
from ingest.settings import IngestSettings
from ingest.types import Chunk, Document, DocumentMeta, Sentence

log = logging.getLogger(__name__)

SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
    doc_id TEXT PRIMARY KEY, source TEXT NOT NULL, content_hash TEXT NOT NULL,
    meta TEXT NOT NULL, text TEXT NOT NULL, page_starts TEXT NOT NULL, n_chunks INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS chunks (
    chunk_id TEXT PRIMARY KEY, doc_id TEXT NOT NULL, ordinal INTEGER NOT NULL,
    page INTEGER NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL, section TEXT NOT NULL,
    text TEXT NOT NULL, text_hash TEXT NOT NULL, sentences TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS chunks_doc ON chunks(doc_id);
CREATE TABLE IF NOT EXISTS kv (key TEXT PRIMARY KEY, value TEXT NOT NULL);
-- one float16 row per sentence of a chunk text (ingest.embed_onnx: late-chunked), by the text's hash
CREATE TABLE IF NOT EXISTS sentence_vectors (text_hash TEXT PRIMARY KEY, n INTEGER NOT NULL, vectors BLOB NOT NULL);
"""
SENTENCE_DTYPE = np.float16  # 2 bytes a value: ~5 KB a chunk; scores need no more precision


CHUNK_COLUMNS = 'chunk_id, doc_id, ordinal, page, start, "end", section, text, text_hash, sentences'


def chunk_from_row(row: Sequence) -> Chunk:
    """A Chunk from a row of CHUNK_COLUMNS; the row came from this index, so it is not validated again."""
    return Chunk.model_construct(
        chunk_id=row[0],
        doc_id=row[1],
        ordinal=row[2],
        page=row[3],
        start=row[4],
        end=row[5],
        section=row[6],
        text=row[7],
        text_hash=row[8],
        sentences=[Sentence.model_construct(**s) for s in json.loads(row[9])],
    )


SERVER_TIMEOUT = httpx.Timeout(60.0, connect=5.0)
HEARTBEAT_TIMEOUT_S = 5.0

# What to do when the server went away, by what was under way (the sentence names the server).
RERUN_INGEST = "the index is as its last commit left it: start the server again and run the ingest again"
ASK_AGAIN = "start the server again (or point --chroma-host and --chroma-port at it) and ask again"
RUN_AGAIN = "start the server again and run the command again"


def _probe(host: str, port: int) -> None:
    """Fail within seconds, not never: chromadb's HttpClient talks to the server as it is
    built, with no timeout (httpx timeout=None)."""
    httpx.get(f"http://{host}:{port}/api/v2/heartbeat", timeout=HEARTBEAT_TIMEOUT_S).raise_for_status()


def _bounded(client):
    """Give the client's own session a timeout, so a server that stops answering mid-session
    is an error too."""
    session = getattr(getattr(client, "_server", None), "_session", None)
    if isinstance(session, httpx.Client):
        session.timeout = SERVER_TIMEOUT
    return client


def _cause(exc: BaseException) -> str:
    """A few words on why a request failed, e.g. "ConnectError: [Errno 111] Connection refused"."""
    lines = str(exc).strip().splitlines()
    text = f"{type(exc).__name__}: {lines[0]}" if lines else type(exc).__name__
    return text if len(text) <= 100 else text[:99] + "…"


def chroma_metadata(doc: Document, chunk: Chunk) -> dict:
    """What Chroma keeps beside a vector: the fields retrieval filters on (no None values)."""
    meta = doc.meta
    return {
        "doc_id": doc.doc_id,
        "source": doc.source,
        "force": meta.force or "",
        "doc_type": meta.doc_type.value,
        "date": int(meta.date.strftime("%Y%m%d")) if meta.date else 0,
        "page": chunk.page,
        "start": chunk.start,
        "end": chunk.end,
        "text_hash": chunk.text_hash,
    }


class Index:
    """One corpus index; cheap to construct, opens its parts on first use."""

    def __init__(self, settings: IngestSettings):
        self.settings = settings
        self.dir = Path(settings.index_dir)

    # ---- parts -------------------------------------------------------------------------
    @cached_property
    def db(self) -> sqlite3.Connection:
        self.dir.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(self.dir / "manifest.sqlite3", check_same_thread=False, isolation_level=None)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA busy_timeout=10000")
        db.executescript(SCHEMA)
        return db

    @property
    def where(self) -> str:
        """The vector store, as a user would name it: the server's address, or its path."""
        if self.settings.server_mode:
            return f"{self.settings.chroma_host}:{self.settings.chroma_port}"
        return str(self.dir / "chroma")

    @cached_property
    def client(self):
        # chromadb takes about a second to import; the manifest alone answers `status`
        import chromadb
        from chromadb.config import Settings as ChromaSettings

        chroma_settings = ChromaSettings(anonymized_telemetry=False)
        try:
            if host := self.settings.chroma_host:
                _probe(host, self.settings.chroma_port)
                return _bounded(
                    chromadb.HttpClient(host=host, port=self.settings.chroma_port, settings=chroma_settings)
                )
            path = str(self.dir / "chroma")
            # chromadb shares one System per path within a process, and a System does not see what
            # another process wrote after it loaded, nor that the dir was deleted (chroma-core/chroma
            # #3792): each Index reads the store as it is on disk when it opens it.
            from chromadb.api.shared_system_client import SharedSystemClient

            SharedSystemClient._identifier_to_system.pop(path, None)
            return chromadb.PersistentClient(path=path, settings=chroma_settings)
        except Exception as exc:  # chromadb raises bare ValueError/ConnectionError variants
            if self.settings.server_mode:
                message = (
                    f"cannot reach the Chroma server at {self.where} ({_cause(exc)}); start it "
                    f"(chroma run --path DIR --host {self.settings.chroma_host} --port {self.settings.chroma_port}) "
                    "or point --chroma-host and --chroma-port at a running one, then run the command again"
                )
            else:
                message = f"cannot open the Chroma store at {self.where} ({_cause(exc)}); check the index directory"
            raise IndexUnavailable(message, self.where, _cause(exc)) from exc

    def ensure_reachable(self, doing: str) -> None:
        """In server mode, raise IndexUnavailable unless the server answers its heartbeat within
        seconds (an ingest asks before each step of embedding, so that it stops soon after
        the server goes away, not at its next write)."""
        if self.settings.server_mode:
            with self.served(doing, RERUN_INGEST):
                _probe(str(self.settings.chroma_host), self.settings.chroma_port)

    def alive(self) -> bool:
        """Embedded store: always; server: whether it answers its heartbeat within seconds."""
        if not self.settings.server_mode:
            return True
        try:
            _probe(str(self.settings.chroma_host), self.settings.chroma_port)
        except Exception:  # noqa: BLE001  any failure to answer
            return False
        return True

    @contextmanager
    def served(self, doing: str, advice: str = RUN_AGAIN) -> Iterator[None]:
        """Requests to the Chroma server inside this block that fail because the server went
        away (a transport error, or any error when the heartbeat then fails too) become one
        IndexUnavailable sentence naming the server, what was under way and `advice`.
        Other errors, and every error of the embedded store, pass as they are."""
        try:
            yield
        except IngestError:
            raise
        except Exception as exc:
            if not self.settings.server_mode or not (isinstance(exc, httpx.HTTPError) or not self.alive()):
                raise
            cause = _cause(exc)
            raise IndexUnavailable(
                f"the Chroma server at {self.where} stopped answering while {doing} ({cause}); {advice}",
                self.where,
                cause,
            ) from exc

    @cached_property
    def vectorstore(self):
        """The LangChain Chroma vector store (queries embed with the configured model)."""
        from langchain_chroma import Chroma  # imports chromadb: seconds, and only ingest needs it

        return Chroma(
            client=self.client,
            collection_name=self.settings.collection,
            embedding_function=get_embedder(self.settings.model_path, self.settings.embed_batch_size),
            collection_metadata={"hnsw:space": "cosine"},
        )

    @cached_property
    def collection(self):
        client = self.client
        with self.served("opening the collection"):
            return client.get_or_create_collection(
                self.settings.collection, metadata={"hnsw:space": "cosine"}, embedding_function=None
            )

    def reopen(self) -> None:
        """Forget the open vector store: the next use reads it afresh (after another writer)."""
        for name in ("client", "collection", "vectorstore"):
            self.__dict__.pop(name, None)

    @contextmanager
    def write_lock(self, timeout: float = 0) -> Iterator[None]:
        """Exclusive right to write; `timeout` seconds to wait for another writer."""
        self.dir.mkdir(parents=True, exist_ok=True)
        lock = FileLock(str(self.dir / "write.lock"))
        try:
            lock.acquire(timeout=timeout)
        except Timeout:
            raise IndexBusy(f"another ingest is writing {self.dir}; try again when it has finished") from None
        try:
            yield
        finally:
            lock.release()

    # ---- read side ---------------------------------------------------------------------
    def get(self, key: str, default: str | None = None) -> str | None:
        row = self.db.execute("SELECT value FROM kv WHERE key=?", (key,)).fetchone()
        return row[0] if row else default

    def encoder(self) -> EncoderInfo | None:
        """The encoder that built the vectors (None: an index never written). An index written
        before encoders were recorded names only its model's path; sentence-transformers ran it."""
        if recorded := self.get("encoder"):
            return EncoderInfo.model_validate_json(recorded)
        if model := self.get("model"):
            return encoder_info(model, "sentence-transformers")
        return None

    def record_encoder(self, info: EncoderInfo) -> None:
        self.db.execute("INSERT OR REPLACE INTO kv VALUES ('encoder', ?)", (info.model_dump_json(),))

    def generation(self) -> int:
        return int(self.get("generation") or 0)

    def hashes(self) -> dict[str, tuple[str, str]]:
        """source -> (doc_id, content_hash) for every indexed document."""
        rows = self.db.execute("SELECT source, doc_id, content_hash FROM documents")
        return {src: (doc_id, h) for src, doc_id, h in rows}

    def documents(self, with_text: bool = False) -> list[Document]:
        cols = "doc_id, source, content_hash, meta, page_starts, n_chunks" + (", text" if with_text else "")
        rows = self.db.execute(f"SELECT {cols} FROM documents ORDER BY source").fetchall()
        return [self._document(row, with_text) for row in rows]

    def document(self, doc_id: str) -> Document | None:
        row = self.db.execute(
            "SELECT doc_id, source, content_hash, meta, page_starts, n_chunks, text FROM documents WHERE doc_id=?",
            (doc_id,),
        ).fetchone()
        return self._document(row, True) if row else None

    @staticmethod
    def _document(row, with_text: bool) -> Document:
        return Document(
            doc_id=row[0],
            source=row[1],
            content_hash=row[2],
            meta=DocumentMeta.model_validate_json(row[3]),
            page_starts=json.loads(row[4]),
            text=row[6] if with_text else "",
        )

    def chunk_counts(self) -> dict[str, int]:
        return dict(self.db.execute("SELECT doc_id, n_chunks FROM documents"))

    def chunks(self, doc_id: str | None = None) -> list[Chunk]:
        return [chunk_from_row(row) for row in self.chunk_rows(doc_id)]

    def chunk_rows(self, doc_id: str | None = None) -> list[tuple]:
        """Chunks as plain rows (`chunk_from_row` makes one a Chunk), in document order."""
        sql = f"SELECT {CHUNK_COLUMNS} FROM chunks"
        rows = (
            self.db.execute(sql + " WHERE doc_id=? ORDER BY ordinal", (doc_id,))
            if doc_id
            else self.db.execute(sql + " ORDER BY doc_id, ordinal")
        )
        return rows.fetchall()

    def vectors(self, ids: Sequence[str]) -> np.ndarray:
        """The stored vectors of `ids`, as rows of one matrix, memory-mapped from a file in the
        index dir. The file is named by a digest of the encoder and the ids, and chunk ids
        include their document's content hash, so the same name always means the same
        vectors; it is written from Chroma the first time a set of ids is asked for. A
        process then loads 100k chunks in ~1.3 s instead of ~9 s reading their vectors
        from Chroma, and app workers on one machine share the pages."""
        digest = hashlib.sha1("\n".join([self.get("encoder") or "", *ids]).encode()).hexdigest()[:20]
        path = self.dir / f"vectors-{digest}.npy"
        if path.exists():
            return np.load(path, mmap_mode="r")
        matrix = self._vectors_from_chroma(ids)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        try:
            with open(tmp, "wb") as out:  # np.save would add ".npy" to a name without it
                np.save(out, matrix)
            os.replace(tmp, path)  # atomic: a reader never maps half a file
        except OSError as exc:  # a read-only or full disk: answer from memory all the same
            tmp.unlink(missing_ok=True)
            log.warning("cannot cache the vectors in %s (%s); reading them from Chroma each start", self.dir, exc)
            return matrix
        self.remove_vector_files(keep=path)
        return np.load(path, mmap_mode="r")

    def remove_vector_files(self, keep: Path | None = None) -> None:
        """Delete the memory-mapped copies of the vectors (all but `keep`); they are rewritten when needed."""
        for old in self.dir.glob("vectors-*.npy"):
            if old != keep:  # another generation's; a process still mapping it keeps its pages
                old.unlink(missing_ok=True)

    def _vectors_from_chroma(self, ids: Sequence[str]) -> np.ndarray:
        with self.served("loading the vectors of the index", ASK_AGAIN):
            return self._read_vectors(ids)

    def _read_vectors(self, ids: Sequence[str]) -> np.ndarray:
        matrix = np.zeros((len(ids), 0), dtype=np.float32)
        row = {cid: i for i, cid in enumerate(ids)}
        for start in range(0, len(ids), 5000):
            got = self.collection.get(ids=list(ids[start : start + 5000]), include=["embeddings"])
            if len(got["ids"]):
                vectors = np.asarray(got["embeddings"], dtype=np.float32)
                if matrix.shape[1] != vectors.shape[1]:
                    matrix = np.zeros((len(ids), vectors.shape[1]), dtype=np.float32)
                matrix[[row[i] for i in got["ids"]]] = vectors
        if matrix.shape[1] == 0:
            matrix = np.zeros((len(ids), 384), dtype=np.float32)
        return matrix

    def keyword(self) -> KeywordIndex:
        directory = self._keyword_dir(self.get("keyword_dir"))
        if directory is None or not directory.exists():
            return KeywordIndex(None, [])
        return KeywordIndex.load(directory)

    def _keyword_dir(self, name: str | None) -> Path | None:
        return self.dir / name if name else None

    def stats(self) -> dict[str, int]:
        docs, chunks = self.db.execute("SELECT COUNT(*), COALESCE(SUM(n_chunks), 0) FROM documents").fetchone()
        return {"documents": docs, "chunks": chunks}

    # ---- write side --------------------------------------------------------------------
    def sentence_vectors(self, text_hashes: Sequence[str]) -> dict[str, np.ndarray]:
        """The stored sentence vectors (one row per sentence) of these chunk texts."""
        found: dict[str, np.ndarray] = {}
        wanted = list(dict.fromkeys(text_hashes))
        for i in range(0, len(wanted), 500):
            part = wanted[i : i + 500]
            rows = self.db.execute(
                f"SELECT text_hash, n, vectors FROM sentence_vectors WHERE text_hash IN ({','.join('?' * len(part))})",
                part,
            )
            for text_hash, n, blob in rows:
                found[text_hash] = np.frombuffer(blob, dtype=SENTENCE_DTYPE).reshape(n, -1).astype(np.float32)
        return found

    def existing_embeddings(self, text_hashes: Sequence[str], with_sentences: bool = False) -> dict[str, list[float]]:
        """Vectors already stored for these chunk texts: never embed the same text twice.
        `with_sentences`: only those whose sentence vectors are stored too."""
        found: dict[str, list[float]] = {}
        wanted = list(dict.fromkeys(text_hashes))
        with self.served("the ingest was reading the vectors already stored", RERUN_INGEST):
            for i in range(0, len(wanted), 500):
                got = self.collection.get(
                    where={"text_hash": {"$in": wanted[i : i + 500]}}, include=["embeddings", "metadatas"]
                )
                for meta, vector in zip(got["metadatas"], got["embeddings"], strict=False):
                    found.setdefault(meta["text_hash"], list(vector))
        if with_sentences:
            have = self.sentence_vectors(list(found))
            found = {h: v for h, v in found.items() if h in have}
        return found

    def write(
        self,
        upserts: Sequence[tuple[Document, list[Chunk]]],
        removals: Sequence[str],
        vectors: dict[str, list[float]],
        on_progress: Callable[[int], None] | None = None,
        sentence_vectors: dict[str, np.ndarray] | None = None,
    ) -> None:
        """Replace the given documents, remove others, in crash-safe order (module docstring).

        `vectors` maps each new chunk's text_hash to its embedding, `sentence_vectors` to the
        matrix of its sentences' vectors (when the encoder gives them); both are kept by text
        hash, before the commit point (so that a killed ingest's work is reused), and those no
        chunk uses any more are dropped by the commit.
        """
        replaced = [doc.doc_id for doc, _ in upserts]
        old_ids = self._chunk_ids_of([*replaced, *removals])
        new_rows = [(doc, c) for doc, chunks in upserts for c in chunks]

        next_gen = self.generation() + 1
        keyword_name = f"keyword-{next_gen}"
        if sentence_vectors:
            self._store_sentence_vectors(sentence_vectors)
        try:
            with self.served("the ingest was writing vectors", RERUN_INGEST):
                batch = max(1, min(self.client.get_max_batch_size(), 4000))
                for i in range(0, len(new_rows), batch):
                    part = new_rows[i : i + batch]
                    self.collection.upsert(
                        ids=[c.chunk_id for _, c in part],
                        embeddings=[vectors[c.text_hash] for _, c in part],
                        documents=[c.text for _, c in part],
                        metadatas=[chroma_metadata(d, c) for d, c in part],
                    )
                    if on_progress:
                        on_progress(len(part))
            self._build_keyword(self.dir / keyword_name, set(replaced) | set(removals), new_rows)
        except BaseException:
            self._undo_uncommitted(new_rows, old_ids, keyword_name)
            raise

        db = self.db
        db.execute("BEGIN IMMEDIATE")
        try:
            for doc_id in [*replaced, *removals]:
                db.execute("DELETE FROM chunks WHERE doc_id=?", (doc_id,))
                db.execute("DELETE FROM documents WHERE doc_id=?", (doc_id,))
            for doc, chunks in upserts:
                db.execute(
                    "INSERT INTO documents VALUES (?,?,?,?,?,?,?)",
                    (
                        doc.doc_id,
                        doc.source,
                        doc.content_hash,
                        doc.meta.model_dump_json(),
                        doc.text,
                        json.dumps(doc.page_starts),
                        len(chunks),
                    ),
                )
                db.executemany(
                    "INSERT INTO chunks VALUES (?,?,?,?,?,?,?,?,?,?)",
                    [
                        (
                            c.chunk_id,
                            c.doc_id,
                            c.ordinal,
                            c.page,
                            c.start,
                            c.end,
                            c.section,
                            c.text,
                            c.text_hash,
                            json.dumps([s.model_dump() for s in c.sentences]),
                        )
                        for c in chunks
                    ],
                )
            db.execute("DELETE FROM sentence_vectors WHERE text_hash NOT IN (SELECT text_hash FROM chunks)")
            db.executemany(
                "INSERT OR REPLACE INTO kv VALUES (?,?)",
                [("generation", str(next_gen)), ("keyword_dir", keyword_name)],
            )
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            self._undo_uncommitted(new_rows, old_ids, keyword_name)
            raise

        kept = {c.chunk_id for _, c in new_rows}
        with self.served("the ingest was deleting replaced vectors (after its commit)", RERUN_INGEST):
            self._delete_vectors([i for i in old_ids if i not in kept])
        self._remove_stale_keyword_dirs()

    def _store_sentence_vectors(self, sentence_vectors: dict[str, np.ndarray]) -> None:
        """Keep the sentence vectors before the vectors go to Chroma, in their own transaction:
        an ingest killed before its commit leaves both behind, and the next one reuses them by
        text hash rather than embedding again (rows no chunk uses go at the next commit)."""
        self.db.execute("BEGIN IMMEDIATE")
        try:
            self.db.executemany(
                "INSERT OR REPLACE INTO sentence_vectors VALUES (?,?,?)",  # a re-embed replaces them
                [(h, len(m), m.astype(SENTENCE_DTYPE).tobytes()) for h, m in sentence_vectors.items()],
            )
            self.db.execute("COMMIT")
        except BaseException:
            self.db.execute("ROLLBACK")
            raise

    def _undo_uncommitted(self, new_rows, old_ids: list[str], keyword_name: str) -> None:
        """After a failed write (disk full, an error): remove what it added before the commit
        point, so the index is the previous one and passes `check()`. A crash skips this; the
        next ingest repairs instead."""
        shutil.rmtree(self.dir / keyword_name, ignore_errors=True)
        owned = set(old_ids)
        # Logged at INFO (-v): the error being raised already says what to do.
        if not self.alive():  # each request would fail too, or wait for its time-out
            log.info("the Chroma server at %s is gone: the next ingest removes the failed write's vectors", self.where)
            return
        try:
            self._delete_vectors([c.chunk_id for _, c in new_rows if c.chunk_id not in owned])
        except Exception as exc:  # noqa: BLE001  best effort: the next ingest deletes them
            log.info("could not remove the vectors of a failed write (%s); the next ingest will", _cause(exc))
            log.debug("removing the vectors of a failed write", exc_info=True)

    def _chunk_ids_of(self, doc_ids: Sequence[str]) -> list[str]:
        ids: list[str] = []
        for doc_id in doc_ids:
            ids += [r[0] for r in self.db.execute("SELECT chunk_id FROM chunks WHERE doc_id=?", (doc_id,))]
        return ids

    def _build_keyword(self, directory: Path, dropped: set[str], new_rows) -> None:
        rows = self.db.execute("SELECT chunk_id, doc_id, text FROM chunks ORDER BY doc_id, ordinal")
        ids, texts = [], []
        for chunk_id, doc_id, text in rows:
            if doc_id not in dropped:
                ids.append(chunk_id)
                texts.append(text)
        ids += [c.chunk_id for _, c in new_rows]
        texts += [c.text for _, c in new_rows]
        shutil.rmtree(directory, ignore_errors=True)
        KeywordIndex.build(ids, texts).save(directory)

    def _delete_vectors(self, ids: list[str]) -> None:
        for i in range(0, len(ids), 4000):
            self.collection.delete(ids=ids[i : i + 4000])

    def _remove_stale_keyword_dirs(self) -> None:
        current = self.get("keyword_dir")
        for path in self.dir.glob("keyword-*"):
            if path.name != current:
                shutil.rmtree(path, ignore_errors=True)

    # ---- consistency -------------------------------------------------------------------
    def check(self, repair: bool = False) -> list[str]:
        """Every problem `check_ids` and `check_spans` find; fix what can be when `repair`."""
        return self.check_ids(repair) + self.check_spans()

    def check_ids(self, repair: bool = False, keep_orphans: bool = False) -> list[str]:
        """Disagreements between manifest, vectors and keyword index; fix them when `repair`.

        `keep_orphans` leaves vectors no document owns in place (an ingest about to run
        reuses them by text hash, and deletes what is still unowned when it finishes)."""
        with self.served("checking the index"):
            return self._check_ids(repair, keep_orphans)

    def _check_ids(self, repair: bool, keep_orphans: bool) -> list[str]:
        problems: list[str] = []
        manifest_ids = {r[0] for r in self.db.execute("SELECT chunk_id FROM chunks")}
        stored = set(self.collection.get(include=[])["ids"])
        orphans = stored - manifest_ids
        missing = manifest_ids - stored
        if orphans:
            problems.append(
                f"{len(orphans)} vectors in Chroma belong to no indexed document (left by an interrupted ingest)"
            )
            if repair and not keep_orphans:
                self._delete_vectors(sorted(orphans))
        if missing:
            docs = {
                doc_id
                for doc_id, chunk_id in self.db.execute("SELECT doc_id, chunk_id FROM chunks")
                if chunk_id in missing
            }
            problems.append(f"{len(missing)} chunks of {len(docs)} documents have no vector in Chroma")
            if repair:  # forget them; the next ingest of the corpus adds them again
                self._forget(docs)
                manifest_ids = {r[0] for r in self.db.execute("SELECT chunk_id FROM chunks")}
        if set(self.keyword().ids) != manifest_ids:
            problems.append("the keyword index does not match the manifest")
            if repair:
                self.rebuild_keyword()
        return problems

    def check_spans(self) -> list[str]:
        """Chunks whose span of their document no longer cleans to the chunk's text. The document
        is cleaned whole, as at ingest: what counts as a header, a page number or markup depends
        on the text around a span, so a span cleaned alone can differ from a sound chunk."""
        problems = []
        for doc in self.documents(with_text=True):
            cleaned = clean(doc.text)
            for chunk in self.chunks(doc.doc_id):
                a, b = np.searchsorted(cleaned.offsets, [chunk.start, chunk.end])
                span = cleaned.text[a:b].replace(PAGE_BREAK, "\n")
                if " ".join(span.split()) != " ".join(chunk.text.split()):
                    problems.append(f"{doc.source}: chunk {chunk.chunk_id} no longer matches its document text")
        return problems

    def delete_orphans(self) -> int:
        """Delete vectors that no indexed chunk owns; how many there were."""
        manifest_ids = {r[0] for r in self.db.execute("SELECT chunk_id FROM chunks")}
        with self.served("the ingest was deleting vectors no document owns", RERUN_INGEST):
            orphans = sorted(set(self.collection.get(include=[])["ids"]) - manifest_ids)
            self._delete_vectors(orphans)
        return len(orphans)

    def _forget(self, doc_ids: set[str]) -> None:
        self.write([], sorted(doc_ids), {})

    def rebuild_keyword(self) -> None:
        name = f"keyword-{self.generation()}-rebuilt"
        self._build_keyword(self.dir / name, set(), [])
        self.db.execute("INSERT OR REPLACE INTO kv VALUES ('keyword_dir', ?)", (name,))
        self._remove_stale_keyword_dirs()

    def reset(self) -> None:
        """Delete everything (for --rebuild)."""
        with contextlib.suppress(Exception):  # absent collection: nothing to delete
            self.client.delete_collection(self.settings.collection)
        self.__dict__.pop("collection", None)
        self.__dict__.pop("vectorstore", None)
        self.db.executescript(
            "DELETE FROM chunks; DELETE FROM documents; DELETE FROM kv; DELETE FROM sentence_vectors;"
        )
        self._remove_stale_keyword_dirs()
        self.remove_vector_files()
