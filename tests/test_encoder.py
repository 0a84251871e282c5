"""The index records the encoder that built its vectors; questions and ingests check it."""

from __future__ import annotations

import json

import numpy as np
import pytest
from typer.testing import CliRunner

from assistant.cli import app
from assistant.core import Assistant
from assistant.settings import Settings
from ingest.encoder import EncoderChanged, EncoderInfo, configured_encoder, model_fingerprint
from ingest.pipeline import ingest
from ingest.store import Index
from tests.small_docs import KENT_V2, SURREY

OTHER = EncoderInfo(model="paraphrase-MiniLM-L3-v2", fingerprint="0123456789abcdef", backend="sentence-transformers")


@pytest.fixture
def small(tmp_path) -> Settings:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "kent.txt").write_text(KENT_V2, encoding="utf-8")
    (corpus / "surrey.txt").write_text(SURREY, encoding="utf-8")
    settings = Settings(index_dir=tmp_path / "index", corpus_dir=corpus)
    ingest(settings)
    return settings


def _built_by(settings: Settings, info: EncoderInfo) -> None:
    """Pretend another encoder built the index: record it, and make its vectors differ."""
    index = Index(settings)
    index.record_encoder(info)
    got = index.collection.get(include=["embeddings"])
    index.collection.update(ids=got["ids"], embeddings=[[0.0] * 383 + [1.0] for _ in got["ids"]])


def test_an_index_records_the_model_runtime_and_precision_that_built_it(small):
    built = Index(small).encoder()
    assert built == configured_encoder(small.model_path)
    assert str(built) == "all-MiniLM-L6-v2 (onnxruntime, fp32)"
    info = Assistant(small).describe()
    assert info.encoder == str(built) and info.encoder_problem is None


def test_questions_are_refused_when_another_model_built_the_index(small):
    _built_by(small, OTHER)
    with pytest.raises(EncoderChanged, match=r"built by paraphrase-MiniLM-L3-v2 .*run `assistant ingest`"):
        Assistant(small).ask("What did Kent say about stalking?")
    assert "run `assistant ingest`" in (Assistant(small).describe().encoder_problem or "")


def test_an_ingest_embeds_every_chunk_again_when_another_model_built_the_index(small):
    chunks = Index(small).stats()["chunks"]
    before = np.asarray(Index(small).collection.get(include=["embeddings"])["embeddings"])
    _built_by(small, OTHER)

    report = ingest(small)

    assert (report.reembedded, report.embedded, report.unchanged) == (chunks, chunks, 2)
    assert report.reembedded_from == str(OTHER)
    index = Index(small)
    assert index.encoder() == configured_encoder(small.model_path)
    after = np.asarray(index.collection.get(include=["embeddings"])["embeddings"])
    assert np.allclose(after, before, atol=1e-5)  # the configured model's vectors again, not the other's
    assert index.check() == []
    assert Assistant(small).ask("What did Kent say about stalking?").citations
    assert ingest(small).embedded == 0


def test_the_cli_says_it_embedded_the_index_again(small):
    _built_by(small, OTHER)
    result = CliRunner().invoke(app, ["ingest"], env={"ASSISTANT_INDEX_DIR": str(small.index_dir)})
    assert result.exit_code == 0, result.output
    assert "re-embedded the" in result.output and "paraphrase-MiniLM-L3-v2" in result.output
    status = CliRunner().invoke(app, ["status", "--json"], env={"ASSISTANT_INDEX_DIR": str(small.index_dir)})
    assert json.loads(status.output)["encoder"] == "all-MiniLM-L6-v2 (onnxruntime, fp32)"


def test_an_index_that_names_only_its_model_path_is_taken_as_built_by_that_model(small):
    index = Index(small)
    index.db.execute("DELETE FROM kv WHERE key='encoder'")
    index.db.execute("INSERT OR REPLACE INTO kv VALUES ('model', ?)", (small.model_path,))
    assert index.encoder() is not None and index.encoder().same_vectors(configured_encoder(small.model_path))
    assert ingest(small).embedded == 0


def test_a_model_is_known_by_its_files_not_by_where_it_lies(tmp_path, small):
    copy = tmp_path / "copy"
    copy.symlink_to(small.model_path, target_is_directory=True)
    assert model_fingerprint(str(copy)) == model_fingerprint(small.model_path)
    other = tmp_path / "other"
    other.mkdir()
    for file in (tmp_path / "copy").iterdir():
        (other / file.name).symlink_to(file)
    (other / "config.json").unlink()
    (other / "config.json").write_text('{"hidden_size": 384, "num_hidden_layers": 3}', encoding="utf-8")
    assert model_fingerprint(str(other)) != model_fingerprint(small.model_path)
