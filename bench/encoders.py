"""`python -m bench.encoders [INDEX_DIR]`: document encoders compared on the same chunk texts,
in one run: chunks per second, the ratio to sentence-transformers (torch), and how close each
one's vectors are to the fp32 ONNX encoder's (the encoder ingest uses). Prints a Markdown table
(docs/benchmarks.md, "Document encoder").

The texts are what ingest embedded into INDEX_DIR (default: the index the quality gate builds,
test-output/eval-index: the 17 documents of the three question sets). The int8 variants are
written next to the fp32 export in the cache dir; OpenVINO is measured when it is importable.
"""

from __future__ import annotations

import os
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from assistant.settings import PROJECT_DIR, Settings
from bench.tasks import embedded_texts
from ingest.embed_onnx import OnnxEncoder, ensure_exported
from ingest.store import Index

Encode = Callable[[list[str]], np.ndarray]

# (label, quantize_dynamic keyword arguments, keep attention's activation-by-activation
# products in fp32 so that only products with weights are quantised)
_PER_CHANNEL = {"per_channel": True, "op_types_to_quantize": ["MatMul"]}
INT8_VARIANTS: list[tuple[str, dict, bool]] = [
    ("int8 dynamic (QInt8, per tensor)", {}, False),
    ("int8 per channel, MatMul only", _PER_CHANNEL, False),
    ("int8 per channel, MatMul only, activations kept fp32", _PER_CHANNEL, True),
    ("int8 per channel, reduce_range", {**_PER_CHANNEL, "reduce_range": True}, False),
]


def best_of(encode: Encode, texts: list[str], passes: int = 2) -> tuple[float, np.ndarray]:
    """(best seconds over `passes`, the vectors), after one warm-up batch."""
    encode(texts[:16])
    best, vectors = float("inf"), np.zeros(0)
    for _ in range(passes):
        started = time.perf_counter()
        vectors = np.asarray(encode(texts), dtype=np.float32)
        best = min(best, time.perf_counter() - started)
    return best, vectors


def int8_file(fp32: Path, label: str, options: dict, keep_activations: bool) -> Path:
    # onnx and the quantiser load only in this benchmark, never in ingest or answering
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    target = fp32.with_name(f"{fp32.stem}-{''.join(c for c in label if c.isalnum())[:40]}.onnx")
    if not target.exists():
        nodes = onnx.load(str(fp32)).graph.node if keep_activations else []
        # attention's Q·K and softmax·V products: ".../attention/self/MatMul" and "..._1"
        exclude = [n.name for n in nodes if n.op_type == "MatMul" and re.search(r"/self/MatMul(?:_1)?$", n.name)]
        quantize_dynamic(str(fp32), str(target), weight_type=QuantType.QInt8, nodes_to_exclude=exclude, **options)
    return target


def openvino_encoder(fp32: Path, model_path: str, threads: int) -> OnnxEncoder | None:
    try:
        import openvino as ov
    except ImportError:
        return None
    compiled = ov.Core().compile_model(str(fp32), "CPU", {"INFERENCE_NUM_THREADS": threads})

    class OpenVinoEncoder(OnnxEncoder):
        def _hidden(self, ids: np.ndarray, mask: np.ndarray, worker: int = 0) -> np.ndarray:
            out = compiled({"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)})
            return np.asarray(out[compiled.output(0)])

    return OpenVinoEncoder(fp32, model_path, 1)


def main(argv: list[str]) -> int:
    index_dir = Path(argv[0]) if argv else PROJECT_DIR / "test-output" / "eval-index"
    settings = Settings(index_dir=index_dir)
    texts = embedded_texts(Index(settings))
    if not texts:
        print(f"no chunks in {index_dir}: run `make gate` (or an ingest into it) first", file=sys.stderr)
        return 1
    fp32 = ensure_exported(settings.cache_dir, settings.model_path)
    if fp32 is None:
        print("the model cannot be exported to ONNX", file=sys.stderr)
        return 1
    threads = os.cpu_count() or 1

    import torch  # seconds to import: only the torch row needs it
    from sentence_transformers import SentenceTransformer

    torch.set_num_threads(threads)
    model = SentenceTransformer(settings.model_path, device="cpu", local_files_only=True)
    torch_s, by_torch = best_of(lambda t: model.encode(t, batch_size=32, normalize_embeddings=True), texts)
    ours = OnnxEncoder(fp32, settings.model_path, threads)
    fp32_s, reference = best_of(_vectors_of(ours), texts)

    rows = [("sentence-transformers (torch, batch 32)", torch_s, by_torch), ("onnxruntime fp32", fp32_s, reference)]
    if (ov := openvino_encoder(fp32, settings.model_path, threads)) is not None:
        rows.append(("OpenVINO fp32 (the same ONNX file)", *best_of(_vectors_of(ov), texts)))
    for label, options, keep_activations in INT8_VARIANTS:
        int8 = OnnxEncoder(int8_file(fp32, label, options, keep_activations), settings.model_path, threads)
        rows.append((label, *best_of(_vectors_of(int8), texts)))

    print(f"{len(texts)} chunk texts of {index_dir}, {threads} cores\n")
    print("| encoder | chunks/s | × torch | cosine to fp32: min / 1st percentile | chunks with cosine ≥ 0.99 |")
    print("|---|---:|---:|---|---:|")
    for label, seconds, vectors in rows:
        print(f"| {label} | {len(texts) / seconds:.1f} | {torch_s / seconds:.2f} | {_closeness(reference, vectors)} |")
    return 0


def _vectors_of(encoder: OnnxEncoder) -> Encode:
    return lambda texts: encoder.encode(texts)[0]


def _closeness(reference: np.ndarray, vectors: np.ndarray) -> str:
    cosine = (reference * vectors).sum(axis=1)
    return f"{cosine.min():.3f} / {np.percentile(cosine, 1):.3f} | {(cosine >= 0.99).mean():.1%}"


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
