"""Shared fixtures: the seed corpus indexed once per session, in a temporary directory."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

from assistant.settings import PROJECT_DIR, Settings  # noqa: E402

CORPUS = PROJECT_DIR / "corpus"


@pytest.fixture(scope="session")
def seed_index(tmp_path_factory) -> Settings:
    """Settings for an index of the five seed documents (built once; treat as read-only)."""
    from ingest.pipeline import ingest

    root = tmp_path_factory.mktemp("seed-index")
    settings = Settings(index_dir=root / "index", corpus_dir=CORPUS)
    report = ingest(settings)
    assert not report.failed and report.documents == 5
    return settings


@pytest.fixture(scope="session")
def assistant(seed_index):
    from assistant.core import Assistant

    return Assistant(seed_index)


@pytest.fixture
def corpus_copy(tmp_path) -> Path:
    """A writable copy of the seed corpus."""
    target = tmp_path / "corpus"
    shutil.copytree(CORPUS, target)
    return target


@pytest.fixture
def scratch(tmp_path, corpus_copy) -> Settings:
    """Settings for a fresh, writable index over a copy of the corpus."""
    return Settings(index_dir=tmp_path / "index", corpus_dir=corpus_copy)
