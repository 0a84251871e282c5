"""The synthetic corpus generator: deterministic, and its ground truth agrees with its documents."""

from __future__ import annotations

import io
import json
import re
import string
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
import yaml

from evals import gencorpus as gc
from ingest.forces import FORCES


def _norm(s: str) -> str:
    return " ".join(s.split())


def _files(d: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(d.iterdir())}


def _pdf_body(path: Path) -> tuple[str, list[str]]:
    """Text of a generated PDF without its running header and footer, and the raw pages."""
    from pypdf import PdfReader

    pages = [p.extract_text() or "" for p in PdfReader(io.BytesIO(path.read_bytes())).pages]
    body = []
    for text in pages:
        lines = text.splitlines()
        body.append("\n".join(lines[1:-1]))  # first line: running header; last: "Page N of M"
    return "\n".join(body), pages


@pytest.fixture(scope="module")
def txt_corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, gc.GroundTruth]:
    out = tmp_path_factory.mktemp("gc-txt")
    return out, gc.generate(out, 20, seed=11, fmt="txt")


@pytest.fixture(scope="module")
def pdf_corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, gc.GroundTruth]:
    out = tmp_path_factory.mktemp("gc-pdf")
    return out, gc.generate(out, 12, seed=5, fmt="pdf", jobs=1)


def test_same_seed_same_bytes(tmp_path: Path, txt_corpus) -> None:
    out, _ = txt_corpus
    again = tmp_path / "again"
    gc.generate(again, 20, seed=11, fmt="txt")
    assert _files(again) == _files(out)
    other = tmp_path / "other"
    gc.generate(other, 20, seed=12, fmt="txt")
    assert _files(other) != _files(out)


def test_pdf_is_deterministic(tmp_path: Path, pdf_corpus) -> None:
    out, _ = pdf_corpus
    gc.generate(tmp_path, 12, seed=5, fmt="pdf", jobs=2)  # a process pool must not change the bytes
    assert _files(tmp_path) == _files(out)


def _check_evidence(gt: gc.GroundTruth, texts: dict[str, str]) -> int:
    checked = 0
    for force, cells in gt.status.items():
        for topic, cell in cells.items():
            if cell["status"] == "not_mentioned":
                assert not cell["evidence"] and not cell["history"], (force, topic)
                continue
            assert cell["evidence"], (force, topic)
            for ev in cell["evidence"] + cell["history"]:
                doc = next(d for d in gt.documents if d["file"] == ev["file"])
                assert doc["force"] == force and doc["date"] == ev["date"]
                assert _norm(ev["sentence"]) in texts[ev["file"]], (force, topic, ev)
                checked += 1
    return checked


def test_txt_evidence_is_in_the_named_document(txt_corpus) -> None:
    out, gt = txt_corpus
    texts = {d["file"]: _norm((out / d["file"]).read_text(encoding="utf-8")) for d in gt.documents}
    assert _check_evidence(gt, texts) > 40


def test_pdf_evidence_is_in_the_extracted_text(pdf_corpus) -> None:
    out, gt = pdf_corpus
    texts = {}
    for d in gt.documents:
        body, pages = _pdf_body(out / d["file"])
        texts[d["file"]] = _norm(body)
        assert len(pages) == d["pages"] >= 2
        for n, page in enumerate(pages, 1):
            lines = page.splitlines()
            assert d["force"] in lines[0], lines[0]  # running header names the force
            assert lines[-1].strip() == f"Page {n} of {len(pages)}"
        assert d["author_name"] in texts[d["file"]]
    assert _check_evidence(gt, texts) > 20


def test_documents_carry_their_metadata_in_the_text(txt_corpus) -> None:
    out, gt = txt_corpus
    for d in gt.documents:
        text = (out / d["file"]).read_text(encoding="utf-8")
        day = date.fromisoformat(d["date"])
        assert gc.ordinal(day) in text or gc.long_date(day) in text
        assert d["author_name"] in text
        assert d["force"] in text
        if d["doc_type"] == gc.LETTER:
            assert "Dear Home Secretary" in text and "Yours sincerely" in text
        if d["doc_type"] == gc.BOARD:
            assert re.search(r"^(- )?1\.1 ", text, re.M) and "From: " in text
        if d["doc_type"] == gc.COMMENTS:
            assert "Recommendations\t" in text
        if gc.FORCE_INFO[d["force"]].welsh and d["doc_type"] == gc.LETTER:
            assert "Heddlu a Throseddu" in text


def test_latest_status_wins(txt_corpus) -> None:
    _, gt = txt_corpus
    for cells in gt.status.values():
        for cell in cells.values():
            hist = cell["history"]
            if not hist:
                continue
            dates = [h["date"] for h in hist]
            assert dates == sorted(dates) and len(set(dates)) == len(dates)
            assert cell["status"] == hist[-1]["status"]
            assert cell["evidence"][0]["file"] == hist[-1]["file"]


def test_questions_and_compare_reference_real_files_and_forces(txt_corpus) -> None:
    out, gt = txt_corpus
    files = {d["file"] for d in gt.documents}
    for q in gt.questions:
        assert q["id"] and ("question" in q or "turns" in q)
        exp = q["expect"]
        assert set(exp.get("docs", [])) <= files, q
        assert set(exp.get("forces", [])) <= set(FORCES)
        assert not set(exp.get("forces", [])) & set(exp.get("not_forces", []))
        if exp.get("abstain"):
            assert not exp.get("forces") and not exp.get("docs")
    assert len({q["id"] for q in gt.questions}) == len(gt.questions)
    on_disk = yaml.safe_load((out / "questions.yaml").read_text(encoding="utf-8"))
    assert on_disk == gt.questions
    compare = yaml.safe_load((out / "compare.yaml").read_text(encoding="utf-8"))
    assert len(compare) == len(gt.topics) >= 10
    for item in compare:
        assert set(item["expect"]) == set(FORCES)
        assert set(item["expect"].values()) <= set(gc.STATUSES)
    saved = json.loads((out / "ground_truth.json").read_text(encoding="utf-8"))
    assert saved["documents"] == gt.documents and saved["seed"] == 11 and saved["n_docs"] == 20


def test_every_force_is_covered_from_86_documents(tmp_path: Path) -> None:
    gt = gc.generate(tmp_path, 86, seed=3, fmt="txt", jobs=1)
    assert {d["force"] for d in gt.documents} == set(FORCES)
    assert len(gt.documents) == 86
    kinds = {d["doc_type"] for d in gt.documents}
    assert kinds == {gc.LETTER, gc.BOARD, gc.COMMENTS}
    used = {c["status"] for cells in gt.status.values() for c in cells.values()}
    assert used == set(gc.STATUSES)
    sizes = [len((tmp_path / d["file"]).read_text(encoding="utf-8")) for d in gt.documents]
    assert 6000 <= sum(sizes) / len(sizes) <= 9000
    # Several documents per force: some statuses were updated by a later document.
    assert any(len({h["status"] for h in c["history"]}) > 1 for cells in gt.status.values() for c in cells.values())


def test_rerun_replaces_previous_output(tmp_path: Path) -> None:
    gc.generate(tmp_path, 15, seed=1, fmt="txt")
    gt = gc.generate(tmp_path, 5, seed=1, fmt="txt")
    left = {p.name for p in tmp_path.iterdir()} - set(gc.GENERATED_FILES)
    assert left == {d["file"] for d in gt.documents}


def test_filler_never_states_a_topic() -> None:
    banks = [*gc.FILLER_BANKS.values(), gc.F_STALKING, gc.F_GENERIC, gc.F_CLOSING]
    for bank in banks:
        for t in bank:
            if t in gc.DISTRACTORS:  # deliberate hard negatives (a hate crime SPOC, the Audit Committee)
                continue
            assert not gc.TOPIC_PHRASES.search(t), t


def test_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert gc.main([str(tmp_path), "--docs", "3", "--format", "txt", "--seed", "2"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["documents"] == 3
    assert (tmp_path / "ground_truth.json").exists() and (tmp_path / "compare.yaml").exists()


def test_every_slot_in_the_tables_has_a_maker() -> None:
    """The YAML tables name only slots the writer can fill, and every topic can state every status."""
    from evals.gencorpus import data
    from evals.gencorpus.people import office_holders
    from evals.gencorpus.plan import plan
    from evals.gencorpus.writer import Writer

    doc = plan(1, 1, ["Gwent"])[0]
    known = set(Writer(1, doc, office_holders(1, "Gwent"), "A Person").makers(None)) | {"S", "s", "O", "o"}
    texts = [*data.FOLLOW_ONS, *data.F_STALKING, *data.F_GENERIC, *data.F_CLOSING]
    texts += [t for bank in data.FILLER_BANKS.values() for t in bank]
    rec_keys = {key for report in data.REPORTS.values() for _, key in report.recs}
    for topic in data.TOPICS:
        assert set(topic.templates) == set(gc.STATUSES) - {"not_mentioned"}, topic.id
        assert set(topic.reports) <= set(data.REPORTS) and topic.rec in rec_keys, topic.id
        texts += [t for ts in topic.templates.values() for t in ts]
    for text in texts:
        slots = {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
        assert slots <= known, (text, slots - known)
    assert set(data.DISTRACTORS) <= {t for bank in data.FILLER_BANKS.values() for t in bank} | set(data.F_STALKING)


def test_module_entry_point(tmp_path: Path) -> None:
    root = Path(__file__).resolve().parents[1]
    cmd = [sys.executable, "-m", "evals.gencorpus", str(tmp_path), "--docs", "2", "--format", "txt", "--seed", "4"]
    done = subprocess.run(cmd, cwd=root, capture_output=True, text=True, timeout=120, check=True)
    assert json.loads(done.stdout)["documents"] == 2
