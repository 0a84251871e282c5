"""The embedding model for questions, run by onnxruntime instead of sentence-transformers.

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
from pathlib import Path

import numpy as np
from langchain_core.embeddings import Embeddings

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


class OnnxQuestionEncoder(Embeddings):
    """`embed_query` as HuggingFaceEmbeddings gives it (newlines to spaces, truncated to the
    model's max_seq_length, mean pooled, normalised), on one onnxruntime thread: a question
    is short, and a team of threads only contends with the other requests on a small machine."""

    def __init__(self, onnx_path: Path, model_path: str):
        import onnxruntime as ort
        from tokenizers import Tokenizer

        config = json.loads((Path(model_path) / "sentence_bert_config.json").read_text())
        self.tokenizer = Tokenizer.from_file(str(Path(model_path) / "tokenizer.json"))
        self.tokenizer.enable_truncation(int(config.get("max_seq_length", 256)))
        self.tokenizer.no_padding()  # the file may pad every input to 128 tokens: 5x the work for a question
        options = ort.SessionOptions()
        options.intra_op_num_threads = options.inter_op_num_threads = 1
        options.log_severity_level = 3
        self.session = ort.InferenceSession(str(onnx_path), options, providers=["CPUExecutionProvider"])

    def embed_query(self, text: str) -> list[float]:
        encoding = self.tokenizer.encode(text.replace("\n", " "))
        ids = np.array([encoding.ids], dtype=np.int64)
        mask = np.array([encoding.attention_mask], dtype=np.int64)
        hidden = self.session.run(
            None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        )[0]
        pooled = (hidden * mask[..., None]).sum(axis=1) / np.maximum(mask.sum(axis=1, keepdims=True), 1)
        vector = pooled[0] / max(float(np.linalg.norm(pooled[0])), 1e-12)
        return vector.astype(np.float32).tolist()

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return [self.embed_query(text) for text in texts]


_loaded: dict[Path, OnnxQuestionEncoder] = {}


def question_encoder(cache_dir: Path, model_path: str) -> Embeddings | None:
    """The ONNX question encoder when an ingest has exported one for this model, else None
    (asked again next time: an ingest may export it meanwhile)."""
    path = onnx_file(cache_dir, model_path)
    if path in _loaded or not path.exists():
        return _loaded.get(path)
    try:
        _loaded[path] = OnnxQuestionEncoder(path, model_path)
    except Exception as exc:  # noqa: BLE001  a damaged file: answer through sentence-transformers
        log.warning("cannot load the question encoder %s (%s); using sentence-transformers", path, exc)
        return None
    return _loaded[path]
