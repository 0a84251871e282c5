"""The embedding model run by onnxruntime: questions, and the documents an ingest embeds.

Importing sentence-transformers (torch, transformers, scikit-learn) takes ~7 s on two cores,
most of a process's start before its first answer, and torch holds ~400 MB a process. A
question needs none of it: the same model, exported once to ONNX by an ingest (which has
torch loaded anyway), embeds a question in ~8 ms with tokenizers and onnxruntime, which load
in ~0.5 s. The vectors equal sentence-transformers' to ~1e-7 (tests/test_embed_onnx.py).

Only models that are a transformer, then mean pooling (then normalisation), are exported;
any other model keeps answering through sentence-transformers.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import warnings
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
from langchain_core.embeddings import Embeddings

from ingest.chunk import one_line

log = logging.getLogger(__name__)

OPSET = 17


def onnx_file(cache_dir: Path, model_path: str) -> Path:
    """Where the export of `model_path` lives, named by the model's files."""
    model = Path(model_path)
    weights = sorted(p for p in model.glob("*") if p.suffix in {".safetensors", ".bin", ".json", ".txt"})
    stamp = "\n".join([str(model.resolve()), *(f"{p.name}:{p.stat().st_size}:{p.stat().st_mtime_ns}" for p in weights)])
    return Path(cache_dir) / f"question-encoder-{hashlib.sha1(stamp.encode()).hexdigest()[:16]}.onnx"


def exportable(model_path: str) -> bool:
    """A transformer with mean pooling (and optional normalisation), as all-MiniLM-L6-v2 is."""
    model = Path(model_path)
    try:
        modules = [m["type"].rsplit(".", 1)[-1] for m in json.loads((model / "modules.json").read_text())]
        pooling = json.loads((model / "1_Pooling" / "config.json").read_text())
    except (OSError, ValueError, KeyError):
        return False
    means_only = pooling.get("pooling_mode_mean_tokens") and not any(
        v for k, v in pooling.items() if k.startswith("pooling_mode_") and k != "pooling_mode_mean_tokens"
    )
    return (
        modules[:2] == ["Transformer", "Pooling"]
        and set(modules[2:]) <= {"Normalize"}
        and bool(means_only)
        and (model / "tokenizer.json").exists()
    )


def export(model_path: str, target: Path) -> None:
    """Write the transformer of `model_path` as ONNX (dynamic batch and length), atomically."""
    import torch
    from transformers import AutoModel

    model = AutoModel.from_pretrained(model_path, local_files_only=True, attn_implementation="eager").eval()

    class LastHiddenState(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.model = model

        def forward(self, input_ids, attention_mask, token_type_ids):  # keyword call: the signature varies
            return self.model(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state

    names = ["input_ids", "attention_mask", "token_type_ids"]
    example = torch.ones((1, 8), dtype=torch.long)
    axes = {name: {0: "batch", 1: "tokens"} for name in [*names, "last_hidden_state"]}
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(f".{os.getpid()}.tmp")
    try:
        # the exporter warns about tracing a general model; this one is checked against
        # sentence-transformers by the tests (single questions, no padding)
        with torch.no_grad(), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            torch.onnx.export(
                LastHiddenState(),
                (example, example, torch.zeros_like(example)),
                str(tmp),
                input_names=names,
                output_names=["last_hidden_state"],
                dynamic_axes=axes,
                opset_version=OPSET,
                dynamo=False,
            )
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


def ensure_exported(cache_dir: Path, model_path: str) -> Path | None:
    """The question encoder's file, exported now if missing; None when the model cannot be."""
    target = onnx_file(cache_dir, model_path)
    if target.exists():
        return target
    if not exportable(model_path):
        return None
    try:
        export(model_path, target)
    except Exception as exc:  # noqa: BLE001  questions fall back to sentence-transformers
        log.warning("could not export the question encoder to ONNX (%s); questions use sentence-transformers", exc)
        return None
    for old in target.parent.glob("question-encoder-*.onnx"):
        if old != target:
            old.unlink(missing_ok=True)
    return target


def sentence_spans(text: str, sentences: Sequence[str]) -> list[tuple[int, int] | None]:
    """Where each of `sentences` (in order, each `one_line`d) stands in `text` (`one_line`d),
    or None for one that is not found there."""
    spans: list[tuple[int, int] | None] = []
    at = 0
    for sentence in sentences:
        found = text.find(sentence, at)
        spans.append((found, found + len(sentence)) if found >= 0 else None)
        at = found + len(sentence) if found >= 0 else at
    return spans


def _normalised(matrix: np.ndarray) -> np.ndarray:
    return matrix / np.maximum(np.linalg.norm(matrix, axis=-1, keepdims=True), 1e-12)


# Texts per batch of `encode`. Each worker pads a batch to its longest text (texts are sorted
# by length first), and small batches keep a core's working set in cache: on 2 cores, 2
# single-threaded sessions at 8 texts a batch embed ~64 chunks/s, one session on 2 threads
# at 32 a batch ~52/s, at 16 ~57/s (docs/benchmarks.md, "Document encoder").
DOCUMENT_BATCH = 8


class OnnxEncoder(Embeddings):
    """The model's transformer run by onnxruntime, pooled as sentence-transformers pools it
    (mean over the tokens, normalised; inputs truncated to the model's max_seq_length).

    `embed_query` runs one question on one thread: a question is short, and a team of threads
    only contends with the other requests on a small machine. `encode` runs documents in
    batches sorted by length (each padded only to its longest), spread over `threads`
    single-threaded sessions (onnxruntime releases the GIL while it runs: one session per core
    outruns one session with a thread per core, whose threads meet at every operator). It
    also returns a vector per sentence: the mean of that sentence's tokens as the model read
    them inside the whole passage ("late chunking", Günther et al. 2024), at no extra cost.
    Measured on the tuning halves, these rank the sentence that answers a question first more
    often than the same sentence embedded alone (docs/abstention.md)."""

    def __init__(self, onnx_path: Path, model_path: str, threads: int = 1):
        import onnxruntime as ort  # ~0.3 s to import: only a process that embeds pays it
        from tokenizers import Tokenizer

        config = json.loads((Path(model_path) / "sentence_bert_config.json").read_text())
        self.tokenizer = Tokenizer.from_file(str(Path(model_path) / "tokenizer.json"))
        self.tokenizer.enable_truncation(int(config.get("max_seq_length", 256)))
        self.tokenizer.no_padding()  # the file may pad every input to 128 tokens: 5x the work for a question
        options = ort.SessionOptions()
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        self.sessions = [
            ort.InferenceSession(str(onnx_path), options, providers=["CPUExecutionProvider"])
            for _ in range(max(1, threads))
        ]

    def _hidden(self, ids: np.ndarray, mask: np.ndarray, worker: int = 0) -> np.ndarray:
        feed = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        return np.asarray(self.sessions[worker].run(None, feed)[0])

    def embed_query(self, text: str) -> list[float]:
        encoding = self.tokenizer.encode(text.replace("\n", " "))
        ids = np.array([encoding.ids], dtype=np.int64)
        mask = np.array([encoding.attention_mask], dtype=np.int64)
        hidden = self._hidden(ids, mask)
        pooled = (hidden * mask[..., None]).sum(axis=1) / np.maximum(mask.sum(axis=1, keepdims=True), 1)
        return _normalised(pooled[0]).astype(np.float32).tolist()

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        vectors, _ = self.encode(texts)
        return vectors.tolist()

    def encode(
        self,
        texts: Sequence[str],
        sentences: Sequence[Sequence[str]] | None = None,
        batch_size: int = DOCUMENT_BATCH,
    ) -> tuple[np.ndarray, list[np.ndarray]]:
        """(one normalised vector per text, per text a matrix of its sentences' vectors).
        `sentences[i]` are the sentences of `texts[i]` in order; a sentence that is not found in
        its text, or lies past the truncation, gets the text's own vector."""
        lines = [one_line(t) for t in texts]
        encodings = self.tokenizer.encode_batch(lines)
        order = sorted(range(len(lines)), key=lambda i: len(encodings[i].ids))
        batches = [order[b : b + batch_size] for b in range(0, len(order), batch_size)]
        pooled_rows: dict[int, np.ndarray] = {}
        per_text: list[np.ndarray] = [np.zeros((0, 0), dtype=np.float32)] * len(lines)

        def run(worker: int) -> None:  # every len(sessions)-th batch, on its own session
            for batch in batches[worker :: len(self.sessions)]:
                width = max(len(encodings[i].ids) for i in batch)
                ids = np.zeros((len(batch), width), dtype=np.int64)
                mask = np.zeros_like(ids)
                for row, i in enumerate(batch):
                    ids[row, : len(encodings[i].ids)] = encodings[i].ids
                    mask[row, : len(encodings[i].ids)] = 1
                hidden = self._hidden(ids, mask, worker)
                pooled = _normalised((hidden * mask[..., None]).sum(axis=1) / np.maximum(mask.sum(1, keepdims=True), 1))
                for row, i in enumerate(batch):  # each text is one worker's: no two write the same key
                    pooled_rows[i] = pooled[row]
                    wanted = [one_line(s) for s in sentences[i]] if sentences is not None else []
                    n = len(encodings[i].ids)
                    per_text[i] = self._sentence_vectors(
                        hidden[row, :n], encodings[i].offsets, lines[i], wanted, pooled[row]
                    )

        workers = min(len(self.sessions), len(batches))
        if workers > 1:
            with ThreadPoolExecutor(workers) as pool:
                list(pool.map(run, range(workers)))  # list(): a worker's exception is raised here
        elif batches:
            run(0)
        if not pooled_rows:
            return np.zeros((len(lines), 0), dtype=np.float32), per_text
        vectors = np.stack([pooled_rows[i] for i in range(len(lines))]).astype(np.float32)
        return vectors, per_text

    @staticmethod
    def _sentence_vectors(
        hidden: np.ndarray, offsets: Sequence[tuple[int, int]], text: str, sentences: list[str], fallback: np.ndarray
    ) -> np.ndarray:
        out = np.tile(fallback, (len(sentences), 1)).astype(np.float32)
        starts = np.array([a for a, b in offsets])
        ends = np.array([b for a, b in offsets])
        real = ends > starts  # [CLS] and [SEP] have empty offsets
        for k, span in enumerate(sentence_spans(text, sentences)):
            if span is None:
                continue
            inside = real & (ends > span[0]) & (starts < span[1])
            if inside.any():
                out[k] = _normalised(hidden[inside].mean(axis=0))
        return out


_loaded: dict[tuple[Path, int], OnnxEncoder] = {}


def question_encoder(cache_dir: Path, model_path: str) -> OnnxEncoder | None:
    """The ONNX question encoder when an ingest has exported one for this model, else None
    (asked again next time: an ingest may export it meanwhile)."""
    return _encoder(onnx_file(cache_dir, model_path), model_path, threads=1)


def document_encoder(cache_dir: Path, model_path: str) -> OnnxEncoder | None:
    """The ONNX encoder for an ingest, on every core, exporting the model first if needed;
    None when the model cannot be exported (documents then go through sentence-transformers,
    without sentence vectors)."""
    path = ensure_exported(cache_dir, model_path)
    return _encoder(path, model_path, threads=os.cpu_count() or 1) if path is not None else None


def _encoder(path: Path, model_path: str, threads: int) -> OnnxEncoder | None:
    key = (path, threads)
    if key in _loaded or not path.exists():
        return _loaded.get(key)
    try:
        _loaded[key] = OnnxEncoder(path, model_path, threads)
    except Exception as exc:  # noqa: BLE001  a damaged file: embed through sentence-transformers
        log.warning("cannot load the ONNX encoder %s (%s); using sentence-transformers", path, exc)
        return None
    return _loaded[key]
