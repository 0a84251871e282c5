"""Ingest: incremental, idempotent, honest about bad input, consistent after a crash."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time

import pytest
from typer.testing import CliRunner

from assistant.cli import app
from ingest.pipeline import ingest
from ingest.store import Index
from tests import pdfs


def test_reingest_of_unchanged_corpus_embeds_nothing(scratch):
    first = ingest(scratch)
    assert (first.added, first.embedded, first.documents) == (5, first.chunks, 5)
    second = ingest(scratch)
    assert (second.added, second.updated, second.unchanged, second.removed, second.embedded) == (0, 0, 5, 0, 0)
    assert second.chunks == first.chunks


def test_a_new_way_of_reading_files_rereads_every_file_once(scratch, monkeypatch):
    first = ingest(scratch)
    monkeypatch.setattr("ingest.pipeline.READING_VERSION", "a later reading")
    reread = ingest(scratch)
    # every file read again (its metadata and chunks as the new reading makes them); texts
    # that read the same are not embedded again
    assert (reread.updated, reread.unchanged, reread.embedded) == (5, 0, 0)
    assert ingest(scratch).unchanged == 5 and reread.chunks == first.chunks


def test_changed_file_replaces_its_chunks_and_reuses_unchanged_text(scratch, corpus_copy):
    ingest(scratch)
    index = Index(scratch)
    gwent = corpus_copy / "gwent-pcc-2019-05-14.txt"
    doc_id = next(d.doc_id for d in index.documents() if d.source.endswith("gwent-pcc-2019-05-14.txt"))
    old_ids = {c.chunk_id for c in index.chunks(doc_id)}
    gwent.write_text(gwent.read_text() + "\n\nA new paragraph about stalking protection orders in Gwent.\n")

    report = ingest(scratch)

    assert (report.updated, report.unchanged) == (1, 4)
    assert 0 < report.embedded < len(old_ids)  # only the changed text is embedded again
    new_ids = {c.chunk_id for c in index.chunks(doc_id)}
    assert not old_ids & new_ids
    stored = set(index.collection.get(include=[])["ids"])
    assert not old_ids & stored and new_ids <= stored
    assert index.check() == []


def test_removed_file_is_removed_from_every_part_of_the_index(scratch, corpus_copy):
    ingest(scratch)
    (corpus_copy / "devon-and-cornwall-comments-2019.txt").unlink()
    report = ingest(scratch)
    assert (report.removed, report.documents) == (1, 4)
    index = Index(scratch)
    assert all(d.meta.force != "Devon and Cornwall" for d in index.documents())
    assert index.check() == []


def test_rebuild_starts_over(scratch):
    ingest(scratch)
    report = ingest(scratch, rebuild=True)
    assert (report.added, report.embedded) == (5, report.chunks)


def test_bad_files_are_reported_one_line_each_and_the_rest_ingested(scratch, corpus_copy):
    bad = corpus_copy / "bad"
    bad.mkdir()
    pdfs.corrupt_pdf(bad / "broken.pdf")
    pdfs.encrypted_pdf(bad / "locked.pdf")
    pdfs.scanned_pdf(bad / "scan.pdf")
    (bad / "empty.txt").write_bytes(b"")
    (bad / "binary.txt").write_bytes(bytes(range(256)) * 8)
    (bad / "notes.docx").write_bytes(b"PK\x03\x04")
    (bad / "windows.txt").write_bytes("Caf\xe9 letter \x96 Gwent\u2019s reply".encode("cp1252", "replace"))
    pdfs.text_pdf(
        bad / "good.pdf",
        ["Kent Police has appointed a stalking coordinator.", "Second page."],
        header="Kent Police",
        footer_with_page_numbers=True,
    )

    report = ingest(scratch)

    reasons = {f.path.rsplit("/", 1)[-1]: f.reason for f in report.failed}
    assert set(reasons) == {"broken.pdf", "locked.pdf", "scan.pdf", "empty.txt", "binary.txt", "notes.docx"}
    assert "not a valid PDF" in reasons["broken.pdf"]
    assert "encrypted" in reasons["locked.pdf"]
    assert "needs OCR" in reasons["scan.pdf"]
    assert reasons["empty.txt"] == "empty file"
    assert "binary" in reasons["binary.txt"]
    assert "unsupported file type '.docx'" in reasons["notes.docx"]
    assert all("\n" not in r for r in reasons.values())
    assert report.added == 7  # five seeds, the cp1252 letter and the good PDF
    assert Index(scratch).check() == []


def test_a_fifty_megabyte_file_is_refused_not_loaded(scratch, corpus_copy):
    pdfs.big_text_file(corpus_copy / "huge.txt", 50 * 2**20)
    report = ingest(scratch)
    assert [f.reason for f in report.failed] == ["file too large (50.0 MB; limit 25 MB)"]
    assert report.documents == 5


def test_pdf_pages_are_numbered_and_running_headers_cleaned(scratch, corpus_copy):
    pdfs.text_pdf(
        corpus_copy / "kent.pdf",
        [
            "Kent Police has reviewed every breach of a restraining order reported since January.",
            "All frontline officers in Kent have now been trained to recognise stalking.",
            "The force will commission an audit of stalking protection orders by December.",
        ],
        header="KENT POLICE - OFFICIAL",
        footer_with_page_numbers=True,
    )
    ingest(scratch)
    index = Index(scratch)
    doc = next(d for d in index.documents() if d.source.endswith("kent.pdf"))
    chunks = index.chunks(doc.doc_id)
    pages = {c.page for c in chunks}
    assert pages == {1, 2, 3}
    trained = next(c for c in chunks if "trained" in c.text)
    assert trained.page == 2
    assert all("KENT POLICE - OFFICIAL" not in c.text and "Page 2 of 3" not in c.text for c in chunks)


REPEATED_PARAGRAPH = (
    "Kent Police reviewed every stalking case recorded in 2019 and found that officers had applied the new risk "
    "assessment in most of them; the force will audit the remaining cases and report to the Police and Crime "
    "Commissioner by the end of the year as agreed."
)


@pytest.mark.slow
def test_a_500_page_pdf_whose_pages_repeat_a_paragraph_keeps_its_text(scratch, corpus_copy):
    """Before: every line counted as a running header, 1 character of 132,891 was left and the
    file was refused as "no extractable text, needs OCR"."""
    pdfs.text_pdf(corpus_copy / "repeated.pdf", [REPEATED_PARAGRAPH] * 500)
    report = ingest(scratch)
    assert report.failed == [] and report.added == 6
    index = Index(scratch)
    doc = next(d for d in index.documents(with_text=True) if d.source.endswith("repeated.pdf"))
    assert doc.pages == 500
    kept = "".join(c.text for c in index.chunks(doc.doc_id))
    assert sum(ch.isalpha() for ch in kept) == 500 * sum(ch.isalpha() for ch in REPEATED_PARAGRAPH)


def test_ingest_json_contract_and_exit_status(scratch, corpus_copy):
    (corpus_copy / "empty.md").write_text("   \n")
    runner = CliRunner()
    env = {"ASSISTANT_INDEX_DIR": str(scratch.index_dir), "ASSISTANT_CORPUS_DIR": str(corpus_copy)}
    result = runner.invoke(app, ["ingest", "--json"], env=env)
    assert result.exit_code == 2, result.output
    data = json.loads(result.stdout.strip().splitlines()[-1])
    assert set(data) == {
        "added",
        "updated",
        "unchanged",
        "removed",
        "failed",
        "documents",
        "chunks",
        "embedded",
        "seconds",
    }
    assert data["failed"][0]["reason"] == "empty file"
    (corpus_copy / "empty.md").unlink()
    again = runner.invoke(app, ["ingest", "--json"], env=env)
    assert again.exit_code == 0
    assert json.loads(again.stdout.strip().splitlines()[-1])["embedded"] == 0


def test_status_describes_documents_and_checks_the_index(seed_index):
    runner = CliRunner()
    env = {"ASSISTANT_INDEX_DIR": str(seed_index.index_dir)}
    result = runner.invoke(app, ["status", "--json", "--check"], env=env)
    assert result.exit_code == 0, result.output
    info = json.loads(result.stdout)
    assert info["forces"] == ["Cambridgeshire", "Devon and Cornwall", "Gwent"]
    assert info["chunks"] > 0 and info["problems"] == []
    gwent = next(d for d in info["documents"] if d["force"] == "Gwent")
    assert (gwent["author_name"], gwent["date"], gwent["doc_type"]) == (
        "Jeff Cuthbert",
        "2019-05-14",
        "letter to the Home Secretary",
    )


def test_a_second_writer_is_refused_with_a_clear_message(scratch):
    from ingest.store import IndexBusy

    index = Index(scratch)
    with index.write_lock(), pytest.raises(IndexBusy, match="another ingest is writing"):
        ingest(scratch)


def test_killing_an_ingest_midway_leaves_an_index_the_next_run_repairs(scratch):
    """SIGKILL while vectors are being written; the next ingest repairs and completes."""
    code = (
        "import sys, time\n"
        "from assistant.settings import Settings\n"
        "from ingest import store\n"
        "from ingest.pipeline import ingest\n"
        "original = store.Index.write\n"
        "def slow_write(self, upserts, removals, vectors, on_progress=None, **kwargs):\n"
        "    def progress(n):\n"
        "        print('WRITING', flush=True); time.sleep(60)\n"
        "    return original(self, upserts, removals, vectors, on_progress=progress, **kwargs)\n"
        "store.Index.write = slow_write\n"
        f"ingest(Settings(index_dir={str(scratch.index_dir)!r}, corpus_dir={str(scratch.corpus_dir)!r}))\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    try:
        deadline = time.time() + 120
        line = ""
        while "WRITING" not in line and time.time() < deadline:
            line = proc.stdout.readline()
        assert "WRITING" in line
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()

    index = Index(scratch)
    assert index.stats()["documents"] == 0  # the manifest never committed
    assert len(index.collection.get(include=[])["ids"]) > 0  # orphan vectors were written

    report = ingest(scratch)

    assert report.added == 5 and report.embedded == 0  # vectors written before the kill are reused
    assert Index(scratch).check() == []
