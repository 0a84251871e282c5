"""Which encoder built an index's vectors: the model (by name, and by a fingerprint of its
files), the runtime that ran it and the precision of its weights.

An index records the encoder that built it. Questions must be embedded into the same vector
space as the chunks, so a process that would embed them with another model or precision
refuses to answer (EncoderChanged, saying to run an ingest), and an ingest that finds one
re-embeds every chunk rather than mixing two kinds of vectors in one index.

The runtime is recorded for `status`, not compared: onnxruntime and sentence-transformers
give the same fp32 vectors of one model to ~2e-7 (tests/test_embed_onnx.py).
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from ingest.embed_onnx import exportable
from ingest.errors import IngestError

# The only precision documents are embedded at. An int8 dynamically quantised export runs
# 1.3-2.3x faster but moves vectors too far (cosine to fp32 >= 0.99 for 80-83 % of chunks
# at best, the bar being 99 %): docs/benchmarks.md, "Int8 encoders".
PRECISION = "fp32"


class EncoderInfo(BaseModel):
    model_config = ConfigDict(frozen=True)

    model: str  # a readable name: "all-MiniLM-L6-v2"
    fingerprint: str  # of the model's files: the same name with other weights is another model
    backend: str  # "onnxruntime" or "sentence-transformers"
    precision: str = PRECISION

    def same_vectors(self, other: EncoderInfo) -> bool:
        """Whether vectors of the two are comparable (one model at one precision)."""
        return (self.fingerprint, self.precision) == (other.fingerprint, other.precision)

    def __str__(self) -> str:
        return f"{self.model} ({self.backend}, {self.precision})"


class EncoderChanged(IngestError):
    """The index was built by another model or precision than the one configured now."""


def model_name(model_path: str) -> str:
    """The model card's title ("# all-MiniLM-L6-v2"), else the directory's name."""
    path = Path(model_path)
    try:
        card = (path / "README.md").read_text(encoding="utf-8", errors="replace")
    except OSError:
        card = ""
    title = re.search(r"^# +(\S[^\n]{0,80}?)\s*$", card, re.M)
    return title.group(1) if title else path.name


def model_fingerprint(model_path: str) -> str:
    """A digest of the model's file names, sizes and configuration: the same on every machine
    and checkout (no paths or times), different for other weights or another tokenizer."""
    path = Path(model_path)
    if not path.is_dir():
        return "path:" + hashlib.sha1(str(model_path).encode()).hexdigest()[:16]
    parts = []
    for file in sorted(p for p in path.rglob("*") if p.is_file() and ".git" not in p.parts):
        parts.append(f"{file.relative_to(path)}:{file.stat().st_size}")
        if file.suffix == ".json" and file.stat().st_size < 100_000:
            parts.append(file.read_text(encoding="utf-8", errors="replace"))
    return hashlib.sha1("\n".join(parts).encode()).hexdigest()[:16]


def encoder_info(model_path: str, backend: str) -> EncoderInfo:
    return EncoderInfo(model=model_name(model_path), fingerprint=model_fingerprint(model_path), backend=backend)


def configured_encoder(model_path: str) -> EncoderInfo:
    """The encoder this configuration embeds with: the model's ONNX export when it can be
    exported (ingest.embed_onnx), else sentence-transformers."""
    return encoder_info(model_path, "onnxruntime" if exportable(model_path) else "sentence-transformers")


def check_same(built: EncoderInfo | None, current: EncoderInfo) -> None:
    """Raise EncoderChanged when questions embedded by `current` cannot be compared with an
    index built by `built` (None: an index that records no encoder, taken as compatible)."""
    if built is not None and not built.same_vectors(current):
        raise EncoderChanged(
            f"the index was built by {built}, but questions would be embedded by {current}; "
            "run `assistant ingest` to re-embed the index with the configured model"
        )
