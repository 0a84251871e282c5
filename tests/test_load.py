"""The loader: real files in, pages or a one-line reason out."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import pytest

from ingest import load
from ingest.load import LoadError, load_file, sniff_kind
from tests.pdfs import (
    MB,
    big_text_file,
    binary_txt,
    corrupt_pdf,
    cp1252_txt,
    empty_file,
    encrypted_pdf,
    scanned_pdf,
    text_pdf,
)


def reason(path: Path, **kwargs) -> str:
    with pytest.raises(LoadError) as err:
        load_file(path, **kwargs)
    message = str(err.value)
    assert "\n" not in message
    return message


# --- PDFs ---------------------------------------------------------------------------------


def test_multi_page_pdf_keeps_page_numbers(tmp_path):
    path = text_pdf(
        tmp_path / "gwent.pdf",
        ["Gwent audited breach recording.", "Training for 800 officers.", "Next steps."],
        header="Office of the Police and Crime Commissioner for Gwent",
        footer_with_page_numbers=True,
    )
    pages = load_file(path)
    assert [p.number for p in pages] == [1, 2, 3]
    assert "Training for 800 officers." in pages[1].text
    assert "Page 2 of 3" in pages[1].text
    assert all("Office of the Police and Crime Commissioner for Gwent" in p.text for p in pages)


def test_pdf_page_without_text_keeps_its_number(tmp_path):
    path = text_pdf(tmp_path / "gap.pdf", ["First.", "", "Third."])
    pages = load_file(path)
    assert [(p.number, p.text.strip()) for p in pages] == [(1, "First."), (2, ""), (3, "Third.")]


def test_corrupt_pdf_is_reported_not_raised(tmp_path):
    assert reason(corrupt_pdf(tmp_path / "broken.pdf")).startswith("not a valid PDF (pypdf: ")


def test_encrypted_pdf_needs_password(tmp_path):
    assert reason(encrypted_pdf(tmp_path / "locked.pdf")) == "PDF is encrypted (password required)"


def test_pdf_encrypted_with_empty_password_is_loaded(tmp_path):
    path = encrypted_pdf(tmp_path / "owner-only.pdf", user_password="", text="Published comments.")
    assert [p.text.strip() for p in load_file(path)] == ["Published comments."]


def test_scanned_pdf_needs_ocr(tmp_path):
    assert reason(scanned_pdf(tmp_path / "scan.pdf")) == "no extractable text, needs OCR"


def test_pdf_named_txt_is_read_as_pdf(tmp_path):
    pdf = text_pdf(tmp_path / "letter.pdf", ["A letter saved with the wrong name."])
    misnamed = tmp_path / "letter.txt"
    pdf.rename(misnamed)
    assert [p.text.strip() for p in load_file(misnamed)] == ["A letter saved with the wrong name."]


def test_text_named_pdf_is_not_a_valid_pdf(tmp_path):
    path = tmp_path / "notes.pdf"
    path.write_text("Just some notes, not a PDF.\n")
    assert reason(path) == "not a valid PDF (no %PDF header)"


def test_binary_named_pdf_is_not_a_valid_pdf(tmp_path):
    assert reason(binary_txt(tmp_path / "image.pdf")) == "not a valid PDF (no %PDF header)"


# --- The PDF worker -----------------------------------------------------------------------


@pytest.fixture
def stubbed_worker(monkeypatch):
    """A PDF worker whose parser hangs on files named hang*.pdf and dies on crash*.pdf."""
    setup = (
        "import os, time; real = m._parse_pdf; name = os.path.basename; "
        "m._parse_pdf = lambda p, notes: time.sleep(600) if name(p).startswith('hang') "
        "else os._exit(3) if name(p).startswith('crash') else real(p, notes)"
    )
    worker = load._PdfWorker(command=load._worker_command(setup))
    monkeypatch.setattr(load, "_PDF_WORKER", worker)
    yield worker
    worker.close()


def test_hung_parser_times_out(tmp_path, stubbed_worker):
    hung = text_pdf(tmp_path / "hang.pdf", ["Never finishes."])
    fine = text_pdf(tmp_path / "fine.pdf", ["Loads after the hang."])
    load_file(fine)
    hung_pid = stubbed_worker.pid

    assert reason(hung, pdf_timeout_s=0.5) == "parsing took longer than 0.5 s"
    with pytest.raises(ProcessLookupError):
        os.kill(hung_pid, 0)  # killed and reaped
    assert [p.text.strip() for p in load_file(fine)] == ["Loads after the hang."]
    assert stubbed_worker.pid not in (None, hung_pid)


def test_crashed_parser_is_reported_and_replaced(tmp_path, stubbed_worker):
    crash = text_pdf(tmp_path / "crash.pdf", ["Kills the parser."])
    fine = text_pdf(tmp_path / "fine.pdf", ["Still loads."])
    assert reason(crash) == "the PDF parser crashed (exit status 3)"
    assert [p.text.strip() for p in load_file(fine)] == ["Still loads."]


def test_pdf_worker_is_reused_across_files(tmp_path):
    first = text_pdf(tmp_path / "one.pdf", ["One."])
    second = text_pdf(tmp_path / "two.pdf", ["Two."])
    load_file(first)
    pid = load._PDF_WORKER.pid
    load_file(second)
    assert pid is not None and load._PDF_WORKER.pid == pid


@pytest.mark.skipif(not Path("/proc/self/limits").exists(), reason="needs Linux /proc")
def test_pdf_worker_memory_is_capped(tmp_path):
    load_file(text_pdf(tmp_path / "one.pdf", ["One."]))
    limits = Path(f"/proc/{load._PDF_WORKER.pid}/limits").read_text()
    (address_space,) = [line for line in limits.splitlines() if "Max address space" in line]
    assert address_space.split()[3] == str(load.PDF_WORKER_MEMORY_BYTES)


# --- Text and markdown --------------------------------------------------------------------


def test_markdown_is_one_page_exactly_as_written(tmp_path):
    text = "# Response\n\n  Recommendation 1:  **accepted**.\t\n\nLast line without newline"
    path = tmp_path / "response.md"
    path.write_text(text, encoding="utf-8")
    assert [(p.number, p.text) for p in load_file(path)] == [(1, text)]


def test_utf8_bom_is_dropped_and_crlf_becomes_lf(tmp_path):
    path = tmp_path / "windows.txt"
    path.write_bytes(b"\xef\xbb\xbfLine one\r\nLine two\rsame line\r\n")
    assert load_file(path)[0].text == "Line one\nLine two\rsame line\n"


def test_cp1252_text_is_decoded(tmp_path):
    text = "The Chief Constable’s response – “£800 for training” – was agreed."
    assert load_file(cp1252_txt(tmp_path / "letter.txt", text))[0].text == text


def test_text_that_is_neither_utf8_nor_cp1252_falls_back_to_latin1(tmp_path):
    path = tmp_path / "odd.txt"
    path.write_bytes(b"caf\xe9 \x81 end")  # 0x81 is undefined in cp1252
    assert load_file(path)[0].text == "caf\xe9 \x81 end"


def test_utf16_text_with_bom_is_decoded(tmp_path):
    path = tmp_path / "notepad.txt"
    path.write_bytes("Gwent’s response\r\n".encode("utf-16"))
    assert load_file(path)[0].text == "Gwent’s response\n"


def test_empty_file(tmp_path):
    assert reason(empty_file(tmp_path / "empty.txt")) == "empty file"
    assert reason(empty_file(tmp_path / "empty.pdf")) == "empty file"


def test_whitespace_only_file_is_empty(tmp_path):
    assert reason(empty_file(tmp_path / "blank.md", b" \r\n\t\n")) == "empty file"
    assert reason(empty_file(tmp_path / "bom.txt", b"\xef\xbb\xbf\n")) == "empty file"


def test_binary_file_named_txt(tmp_path):
    assert reason(binary_txt(tmp_path / "data.txt")) == "not a text file (binary content)"


def test_text_with_a_nul_byte_after_the_first_kilobyte_is_binary(tmp_path):
    path = tmp_path / "late.txt"
    path.write_bytes(b"plain text\n" * 200 + b"\x00\x01\x02")
    assert reason(path) == "not a text file (binary content)"


# --- Limits and types ---------------------------------------------------------------------


def test_fifty_megabytes_is_too_large(tmp_path):
    path = big_text_file(tmp_path / "huge.txt", 50 * MB)
    assert reason(path) == "file too large (50.0 MB; limit 25 MB)"


def test_size_limit_is_a_parameter(tmp_path):
    path = big_text_file(tmp_path / "small.txt", 2 * MB)
    assert reason(path, max_bytes=MB) == "file too large (2.0 MB; limit 1 MB)"
    assert len(load_file(path, max_bytes=2 * MB)[0].text) == 2 * MB


def test_unsupported_type_is_reported(tmp_path):
    path = tmp_path / "response.docx"
    path.write_bytes(b"PK\x03\x04")
    assert reason(path) == "unsupported file type '.docx' (supported: .pdf, .txt, .md, .vtt)"


def test_suffix_is_matched_case_insensitively(tmp_path):
    path = tmp_path / "README.MD"
    path.write_text("Shouting suffix.")
    assert load_file(path)[0].text == "Shouting suffix."


def test_missing_file_is_reported(tmp_path):
    assert reason(tmp_path / "gone.txt").startswith("cannot read file (")


def test_directory_is_reported(tmp_path):
    (tmp_path / "folder.pdf").mkdir()
    assert reason(tmp_path / "folder.pdf") == "not a regular file"


def test_unexpected_error_becomes_load_error_and_is_logged(tmp_path, monkeypatch, caplog):
    def explode(data: bytes) -> str:
        raise RuntimeError("decoder exploded")

    monkeypatch.setattr(load, "_decode_text", explode)
    path = tmp_path / "fine.txt"
    path.write_text("Fine text.")
    with caplog.at_level(logging.ERROR, logger="ingest.load"):
        message = reason(path)
    assert "RuntimeError: decoder exploded" in message
    assert any(record.exc_info for record in caplog.records)


# --- Sniffing -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("head", "kind"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "pdf"),
        (b"\n  %PDF-1.4\n", "pdf"),
        (b"\x00\x17junk\x02\x03%PDF-1.4\n", "pdf"),
        (b"A note on the %PDF-1.4 header.\n", "text"),
        (b"Plain text\r\nwith CRLF\tand tabs\n", "text"),
        ("cp1252 “quotes” £".encode("cp1252"), "text"),
        ("UTF-8 “quotes” £".encode(), "text"),
        ("UTF-16 text".encode("utf-16"), "text"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", None),
        (b"\x01\x02\x03\x04\x05text", None),
    ],
)
def test_sniff_kind_judges_content(head, kind):
    assert sniff_kind(head) == kind
