"""Uploads keep only what is indexed, say "unchanged" for a file indexed already, and leave no
temporary copy behind; the files the web app offers are written under the index dir and pruned."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

import assistant.documents as documents
from assistant.core import Assistant
from assistant.documents import add_uploads
from assistant.settings import Settings
from assistant.web import components
from assistant.web.components import discard_temporary, export_dir, exports_root
from assistant.web.documents import DocumentsTab, upload_results_html

LETTER = (
    "Letter from the Police and Crime Commissioner for Dorset to the Home Secretary, 3 March 2020.\n\n"
    "Dorset Police opened the Zephyr stalking triage desk on 3 March 2020 with fourteen specialist officers.\n"
)


@pytest.fixture
def settings(tmp_path) -> Settings:
    return Settings(index_dir=tmp_path / "index", corpus_dir=tmp_path / "corpus")


def _file(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / "incoming" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_uploading_the_same_file_again_says_unchanged_and_embeds_nothing(settings, tmp_path):
    path = _file(tmp_path, "dorset.txt", LETTER)
    first = add_uploads(settings, [(path, "dorset.txt")])
    again = add_uploads(settings, [(path, "dorset.txt")])
    assert [(r.ok, r.status) for r in first.results] == [(True, "added")]
    assert [(r.ok, r.status) for r in again.results] == [(True, "unchanged")]
    assert "unchanged" in upload_results_html(again.results)
    assert [p.name for p in (settings.data_dir / "uploads").iterdir()] == ["dorset.txt"]


def test_a_file_that_fails_to_index_is_not_kept(settings, tmp_path):
    blank = _file(tmp_path, "blank.md", "**\n\n<p></p>\n\n   \n" * 3)  # passes the type check, has no text
    batch = add_uploads(settings, [(blank, "blank.md")])
    assert [(r.ok, r.status) for r in batch.results] == [(False, "failed")]
    assert str(settings.data_dir) not in batch.results[0].message
    uploads = settings.data_dir / "uploads"
    assert not uploads.exists() or not any(uploads.iterdir())


def test_an_ingest_that_raises_leaves_no_copy_behind(settings, tmp_path, monkeypatch):
    path = _file(tmp_path, "dorset.txt", LETTER)

    def busy(*args, **kwargs):
        raise TimeoutError("the index is busy")

    monkeypatch.setattr(documents, "ingest", busy)
    with pytest.raises(TimeoutError):
        add_uploads(settings, [(path, "dorset.txt")])
    uploads = settings.data_dir / "uploads"
    assert not uploads.exists() or not any(uploads.iterdir())


def test_an_indexed_upload_survives_a_later_failed_batch(settings, tmp_path, monkeypatch):
    path = _file(tmp_path, "dorset.txt", LETTER)
    assert add_uploads(settings, [(path, "dorset.txt")]).results[0].ok
    monkeypatch.setattr(documents, "ingest", lambda *a, **k: (_ for _ in ()).throw(TimeoutError("busy")))
    with pytest.raises(TimeoutError):
        add_uploads(settings, [(path, "dorset.txt")])
    assert (settings.data_dir / "uploads" / "dorset.txt").exists(), "it is still indexed: kept"


class _NoProgress:
    def __call__(self, *args, **kwargs):
        return None


def test_the_documents_tab_deletes_gradios_copies_accepted_or_rejected(settings, tmp_path):
    """What Gradio hands the upload handler is a copy in a folder of its own: gone afterwards,
    including a rejected one under a hostile name."""
    accepted = _file(tmp_path / "gradio" / "a1", "dorset.txt", LETTER)
    rejected = _file(tmp_path / "gradio" / "b2", "img src=x onerror=alert('name').exe", "binary?")
    tab = DocumentsTab(Assistant(settings), None, None, None)  # type: ignore[arg-type]
    result, *_ = tab.upload([str(accepted), str(rejected)], _NoProgress())
    assert "added" in result and "unsupported file type" in result
    assert "<img" not in result
    assert not accepted.exists() and not rejected.exists()
    assert not accepted.parent.exists() and not rejected.parent.exists()
    assert (settings.data_dir / "uploads" / "dorset.txt").exists()


def test_discarding_leaves_other_files_alone(tmp_path):
    keep = _file(tmp_path / "shared", "other.txt", "x")
    gone = _file(tmp_path / "shared", "upload.txt", "y")
    discard_temporary([gone, None, tmp_path / "missing.txt"])
    assert keep.exists() and not gone.exists()


def test_exports_are_written_under_the_index_dir_and_pruned(settings, monkeypatch):
    monkeypatch.setattr(components, "EXPORTS_KEEP", 3)
    made = []
    for i in range(5):
        folder = export_dir(settings, "compare")
        (folder / "compare.csv").write_text("x")
        stamp = time.time() - 100 + i  # oldest first
        os.utime(folder, (stamp, stamp))
        made.append(folder)
    assert all(p.is_relative_to(exports_root(settings)) for p in made)
    assert exports_root(settings).is_relative_to(settings.data_dir)
    export_dir(settings, "compare")
    left = sorted(p.name for p in (exports_root(settings) / "compare").iterdir())
    assert len(left) == 4 and made[0].name not in left and made[1].name not in left
    old = export_dir(settings, "eval")
    week = time.time() - 8 * 24 * 3600
    os.utime(old, (week, week))
    export_dir(settings, "eval")
    assert not old.exists(), "a week-old export is removed"
