"""The ONNX question encoder: the same vectors as sentence-transformers, written by ingest,
used by the assistant, and never a reason for a question to fail."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import numpy as np
import pytest

from assistant.core import Assistant
from assistant.settings import PROJECT_DIR, Settings
from ingest.embed import get_embedder
from ingest.embed_onnx import OnnxEncoder, ensure_exported, exportable, onnx_file, question_encoder

TEXTS = [
    "Which forces audited breach recording?",
    "How many frontline officers did Gwent train\non stalking?",
    "Ceisiadau am orchmynion amddiffyn rhag stelcian yng Ngwent",
    "stalking " * 400,  # past the model's 256 tokens: truncated alike
    "",
]


@pytest.fixture(scope="module")
def exported(seed_index) -> OnnxEncoder:
    path = ensure_exported(seed_index.cache_dir, seed_index.model_path)  # the seed ingest wrote it already
    assert path is not None and path == onnx_file(seed_index.cache_dir, seed_index.model_path)
    return OnnxEncoder(path, seed_index.model_path)


def test_questions_embed_as_sentence_transformers_embeds_them(exported, seed_index):
    reference = get_embedder(seed_index.model_path)
    for text in TEXTS:
        ours, theirs = np.array(exported.embed_query(text)), np.array(reference.embed_query(text))
        assert ours.shape == theirs.shape == (384,)
        assert np.abs(ours - theirs).max() < 1e-5, text[:40]


def test_documents_embed_as_sentence_transformers_embeds_them_in_any_batch_on_any_worker(seed_index):
    """Batches padded to their longest text, split over two sessions: each text still gets
    its own vector, in its own row."""
    path = ensure_exported(seed_index.cache_dir, seed_index.model_path)
    assert path is not None
    texts = [f"{'Gwent trained officers on stalking. ' * (i % 7 + 1)}Text {i}." for i in range(21)] + TEXTS[:3]
    sentences = [["Gwent trained officers on stalking.", f"Text {i}."] for i in range(21)] + [[]] * 3
    vectors, per_text = OnnxEncoder(path, seed_index.model_path, threads=2).encode(texts, sentences, batch_size=4)
    reference = np.array(get_embedder(seed_index.model_path).embed_documents(texts))
    assert vectors.shape == reference.shape and np.abs(vectors - reference).max() < 1e-5
    assert [m.shape for m in per_text] == [(2, 384)] * 21 + [(0, 384)] * 3
    assert not np.allclose(per_text[0][0], per_text[0][1])  # two sentences, two vectors


def test_the_assistant_answers_with_the_onnx_encoder_once_ingest_has_written_it(assistant, exported):
    assert isinstance(assistant.embedder, OnnxEncoder)
    answer = assistant.ask("Which forces audited breach recording?")
    assert answer.citations and not answer.abstained


def test_a_process_that_answers_never_imports_torch(seed_index):
    code = (
        "import sys\nfrom assistant.core import Assistant\nfrom assistant.settings import Settings\n"
        f"a = Assistant(Settings(index_dir={str(seed_index.index_dir)!r}))\n"
        "answer = a.ask('Which forces audited breach recording?')\n"
        "print(len(answer.citations), 'torch' in sys.modules, 'sentence_transformers' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=PROJECT_DIR, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    cited, torch_loaded, st_loaded = out.stdout.split()
    assert int(cited) > 0 and (torch_loaded, st_loaded) == ("False", "False")


def test_a_damaged_encoder_file_falls_back_to_sentence_transformers(seed_index, tmp_path):
    cache = tmp_path / "cache"
    cache.mkdir()
    onnx_file(cache, seed_index.model_path).write_bytes(b"not an onnx model")
    settings = Settings(index_dir=seed_index.index_dir, cache_dir=cache)
    assert question_encoder(cache, seed_index.model_path) is None
    assistant = Assistant(settings)
    assert not isinstance(assistant.embedder, OnnxEncoder)
    assert assistant.ask("Which forces audited breach recording?").citations


def test_a_model_without_mean_pooling_is_not_exported(seed_index, tmp_path):
    model = tmp_path / "model"
    shutil.copytree(seed_index.model_path, model)
    (model / "1_Pooling" / "config.json").write_text(
        json.dumps({"word_embedding_dimension": 384, "pooling_mode_cls_token": True, "pooling_mode_mean_tokens": False})
    )
    assert exportable(seed_index.model_path) and not exportable(str(model))
    assert ensure_exported(tmp_path / "cache", str(model)) is None
    assert not (tmp_path / "cache").exists()
