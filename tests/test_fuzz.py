"""Fuzzing the loader, the cleaner and the sentence splitter with hypothesis, on a time budget.

Inputs: real fpdf2 PDFs with bytes flipped, cut, inserted, deleted, duplicated or PDF tokens
spliced in; random bytes and text under each supported suffix; text built from the debris PDFs
leave (markup, page numbers, hyphenation, page breaks). Properties: `load_file` returns pages or
raises LoadError with a one-line reason, nothing else; every cleaned character maps back to an
original one (offsets strictly increasing and in range); sentence spans stay on one line; what
ingest writes for any text builds a keyword index and passes `Index.check_spans`.

An input that breaks a property is saved under tests/fixtures/crashers/ and becomes a
regression test (`test_saved_crashers_stay_fixed`). Each fuzz test prints how many inputs it
ran (`pytest -s`), for docs/reliability.md.
"""

from __future__ import annotations

import hashlib
import logging
import time
from pathlib import Path

import numpy as np
import pytest
from fpdf import FPDF
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from assistant.settings import Settings
from ingest.chunk import chunk_document, split_sentences
from ingest.clean import PAGE_BREAK, clean
from ingest.load import LoadError, load_file
from ingest.store import Index
from ingest.types import Document, DocumentMeta
from tests import pdfs

CRASHERS = Path(__file__).parent / "fixtures" / "crashers"
_FUZZ = settings(deadline=None, database=None, suppress_health_check=list(HealthCheck))


def fuzz(max_examples: int) -> settings:
    return settings(_FUZZ, max_examples=max_examples)


PDF_TIMEOUT_S = 10.0


class Budget:
    """Stops doing work once `seconds` have passed since the first example (hypothesis has
    no wall-clock limit of its own); counts the examples that ran."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.started: float | None = None
        self.runs = 0
        self.failing: list[tuple[str, bytes, str]] = []  # (kind, input, suffix), the shrunk one last

    def allows(self) -> bool:
        now = time.monotonic()
        self.started = self.started or now
        if now - self.started > self.seconds:
            return False
        self.runs += 1
        return True


def keep_crasher(kind: str, data: bytes, suffix: str) -> Path:
    """Save an input that broke a property as a regression fixture (once: a fixture already
    holding the same bytes, perhaps renamed to say what it found, is kept as it is)."""
    CRASHERS.mkdir(parents=True, exist_ok=True)
    for saved in CRASHERS.iterdir():
        if saved.is_file() and saved.read_bytes() == data:
            return saved
    path = CRASHERS / f"{kind}-{hashlib.sha1(data).hexdigest()[:12]}{suffix}"
    path.write_bytes(data)
    return path


def run_keeping_crasher(run, budget: Budget) -> None:
    """Run a hypothesis test; if it fails, keep the (shrunk) input that failed as a fixture."""
    try:
        run()
    except BaseException:
        if budget.failing:
            print(f"\nkept crasher {keep_crasher(*budget.failing[-1])}")
        raise


def assert_one_line(reason: str) -> None:
    assert reason and len(reason) <= 300 and not any(ch in reason for ch in "\n\r"), repr(reason)


def load_or_reason(path: Path) -> list | str:
    """Pages, or the LoadError reason; any other exception propagates."""
    try:
        pages = load_file(path, pdf_timeout_s=PDF_TIMEOUT_S)
    except LoadError as err:
        assert_one_line(str(err))
        return str(err)
    assert pages and [p.number for p in pages] == list(range(1, len(pages) + 1))
    assert all(isinstance(p.text, str) for p in pages)
    return pages


@pytest.fixture(autouse=True)
def quiet_loader():
    """Mutated PDFs make pypdf log a warning per damaged page; the reasons are what is tested."""
    logger = logging.getLogger("ingest.load")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    yield
    logger.setLevel(level)


# ---- mutated PDFs --------------------------------------------------------------------------


def _uncompressed_pdf() -> bytes:
    pdf = FPDF(format="A4")
    pdf.set_compression(False)  # text operators in the clear: mutations reach the text extractor
    for text in ("Gwent Police audited how breaches of orders are recorded.", "All 800 officers were trained."):
        pdf.add_page()
        pdf.set_font("Helvetica", size=11)
        pdf.multi_cell(0, 6, text)
    return bytes(pdf.output())


def _base_pdfs(tmp: Path) -> list[bytes]:
    return [
        pdfs.text_pdf(
            tmp / "report.pdf",
            ["Kent Police reviewed every breach.", "Page two text.", "Third."],
            header="KENT POLICE - OFFICIAL",
            footer_with_page_numbers=True,
        ).read_bytes(),
        _uncompressed_pdf(),
        pdfs.encrypted_pdf(tmp / "owner-only.pdf", user_password="", text="Published comments.").read_bytes(),
        pdfs.scanned_pdf(tmp / "scan.pdf").read_bytes(),
    ]


PDF_TOKENS = [
    b"obj",
    b"endobj",
    b"stream",
    b"endstream",
    b"<<",
    b">>",
    b"[",
    b"]",
    b"(",
    b")",
    b"\\",
    b"/Length 999999999",
    b"/Length -1",
    b"9999999999 0 R",
    b"1 0 R",
    b"/Filter /FlateDecode",
    b"/Filter /LZWDecode",
    b"/Type /Pages",
    b"/Count 2147483647",
    b"/Kids [2 0 R]",
    b"BT",
    b"ET",
    b"Tj",
    b"TJ",
    b"Tf",
    b"%%EOF",
    b"xref",
    b"trailer",
    b"startxref",
    b"/Encrypt 1 0 R",
    b"\x00",
    b"/ObjStm",
    b"/Prev 0",
    b"/Parent 3 0 R",
    b"/Contents [4 0 R 4 0 R]",
    b"0 0 0 0 0 0 0 0",
]

_position = st.integers(0, 2**20)
MUTATION = st.one_of(
    st.tuples(st.just("flip"), _position, st.integers(1, 255)),
    st.tuples(st.just("truncate"), _position),
    st.tuples(st.just("insert"), _position, st.binary(min_size=1, max_size=64)),
    st.tuples(st.just("delete"), _position, st.integers(1, 256)),
    st.tuples(st.just("duplicate"), _position, st.integers(1, 512)),
    st.tuples(st.just("token"), _position, st.sampled_from(PDF_TOKENS)),
)


def mutate(data: bytes, mutations: list[tuple]) -> bytes:
    out = bytearray(data)
    for kind, position, *arg in mutations:
        at = position % (len(out) + 1)
        if kind == "flip" and out:
            out[at % len(out)] ^= arg[0]
        elif kind == "truncate":
            del out[at:]
        elif kind in ("insert", "token"):
            out[at:at] = arg[0]
        elif kind == "delete":
            del out[at : at + arg[0]]
        elif kind == "duplicate":
            out[at:at] = out[at : at + arg[0]]
    return bytes(out)


def test_mutated_pdfs_load_or_fail_with_a_one_line_reason(tmp_path):
    bases = _base_pdfs(tmp_path)
    budget = Budget(14)
    outcomes: dict[str, int] = {}

    @fuzz(1200)
    @given(
        base=st.sampled_from(range(len(bases))),
        mutations=st.lists(MUTATION, min_size=1, max_size=6),
        suffix=st.sampled_from([".pdf", ".pdf", ".pdf", ".txt"]),
    )
    def run(base, mutations, suffix):
        if not budget.allows():
            return
        data = mutate(bases[base], mutations)
        path = tmp_path / f"mutated{suffix}"
        path.write_bytes(data)
        try:
            result = load_or_reason(path)
        except BaseException:
            budget.failing.append(("pdf", data, suffix))
            raise
        if isinstance(result, str) and result.startswith(("the PDF parser crashed", "unexpected error")):
            keep_crasher("contained", data, suffix)  # handled, but worth a regression fixture
        key = "loaded" if isinstance(result, list) else result.split(" (")[0]
        outcomes[key] = outcomes.get(key, 0) + 1

    run_keeping_crasher(run, budget)
    assert budget.runs > 0
    print(f"\nFIGURE fuzz mutated-pdf: {budget.runs} executions, outcomes {dict(sorted(outcomes.items()))}")


# ---- random bytes and text into the loader -------------------------------------------------


def test_random_bytes_under_any_suffix_load_or_fail_with_a_one_line_reason(tmp_path):
    budget = Budget(4)

    @fuzz(1000)
    @given(
        data=st.one_of(
            st.binary(max_size=3000),
            st.binary(max_size=200).map(lambda b: b"%PDF-1.7\n" + b),
            st.binary(max_size=200).map(lambda b: b"\xef\xbb\xbf" + b),
            st.binary(max_size=200).map(lambda b: b"\xff\xfe" + b),
        ),
        suffix=st.sampled_from([".txt", ".md", ".pdf", ".TXT"]),
    )
    def run(data, suffix):
        if not budget.allows():
            return
        path = tmp_path / f"random{suffix}"
        path.write_bytes(data)
        try:
            load_or_reason(path)
        except BaseException:
            budget.failing.append(("bytes", data, suffix))
            raise

    run_keeping_crasher(run, budget)
    print(f"\nFIGURE fuzz random-bytes: {budget.runs} executions")


def test_any_text_file_loads_exactly_as_written_or_is_refused_plainly(tmp_path):
    budget = Budget(3)

    @fuzz(800)
    @given(text=st.text(max_size=2000))
    def run(text):
        if not budget.allows():
            return
        data = text.encode("utf-8", "surrogatepass")
        path = tmp_path / "note.md"
        path.write_bytes(data)
        try:
            result = load_or_reason(path)
        except BaseException:
            budget.failing.append(("text", data, ".md"))
            raise
        if isinstance(result, list):
            expected = text[1:] if text.startswith("\ufeff") else text
            assert [p.text for p in result] == [expected.replace("\r\n", "\n")]
        else:
            assert result in ("empty file", "not a text file (binary content)") or result.startswith(
                "not a valid PDF"
            ), result

    run_keeping_crasher(run, budget)
    print(f"\nFIGURE fuzz text-files: {budget.runs} executions")


# ---- the cleaner, the sentence splitter and the chunker ------------------------------------

FRAGMENTS = [
    "**",
    "__",
    "<sup>",
    "</sup>",
    "<p>",
    "</p>",
    "<br/>",
    "<td class='x'>",
    "<span>",
    "# ",
    "## ",
    "- ",
    "• ",
    "\u25cf ",
    "Page 2 of 3",
    "3",
    "12",
    "Page 4",
    "\f",
    "\n",
    "\n\n",
    "\n\n\n",
    " ",
    "  ",
    "\t",
    "\r",
    "\xa0",
    "\u200b",
    "offen-\nces",
    "re-\n  corded",
    "Recommendation 1:",
    "Response: ",
    "1.1. ",
    "2. Progress Update:",
    "Mr. Smith",
    "e.g. ",
    "Dr. Jones said.",
    "Heddlu Gwent ",
    "yn ",
    "yr ",
    "Swyddfa Comisiynydd Heddlu a Throseddu Gwent yn croesawu gohebiaeth yn Gymraeg ",
    "The force audited breaches of orders.",
    "It trained 800 officers!",
    "Why? ",
    "Done.",
    "KENT POLICE - OFFICIAL",
    "“Quoted”",
    "[3]",
    "<script>alert(1)</script>",
    "é",
    "ŵ",
    "\u0000",
]
DEBRIS = st.lists(st.sampled_from(FRAGMENTS), max_size=60).map("".join)
TEXTS = st.one_of(
    DEBRIS, st.text(max_size=400), st.lists(st.one_of(DEBRIS, st.text(max_size=20)), max_size=8).map("".join)
)


def check_clean_maps_back(text: str) -> None:
    cleaned = clean(text)
    offsets = np.asarray(cleaned.offsets)
    assert len(offsets) == len(cleaned.text)
    if len(offsets):
        assert offsets[0] >= 0 and offsets[-1] < len(text)
        assert np.all(np.diff(offsets) > 0)  # strictly increasing: one original char per cleaned char
    for i, ch in enumerate(cleaned.text):
        original = text[offsets[i]]
        # a step keeps a character or puts a space / line break / page break / column gap in place of one
        assert ch == original or ch in " \n\f\t", (i, ch, original)
    for start in range(0, len(cleaned.text) + 1, max(1, len(cleaned.text) // 7)):
        a, b = cleaned.original_span(start, min(len(cleaned.text), start + 13))
        assert 0 <= a <= b <= len(text)


def check_sentences(text: str) -> None:
    for base in (0, 17):
        spans = split_sentences(text, base)
        previous = base
        for a, b in spans:
            assert previous <= a < b <= base + len(text), (a, b)
            piece = text[a - base : b - base]
            assert len(piece) <= 700  # bounded, even a run with no sentence end and no space
            assert piece == piece.strip()
            previous = b


class _NoVectors:
    """Stands in for Chroma: `check_spans` reads only the manifest."""

    def get_max_batch_size(self) -> int:
        return 4000

    def upsert(self, **kwargs) -> None:
        pass

    def delete(self, ids) -> None:
        pass


class SpanChecker:
    """A manifest-only index in `directory`: writes one document, then runs the real
    `Index.check_spans`, which must find nothing wrong with what ingest just wrote."""

    def __init__(self, directory: Path):
        self.index = Index(Settings(index_dir=directory, embedding_model="unused"))
        self.index.__dict__["client"] = self.index.__dict__["collection"] = _NoVectors()

    def __call__(self, text: str) -> None:
        page_starts = [0] + [i + 1 for i, ch in enumerate(text) if ch == PAGE_BREAK]
        doc = Document(
            doc_id="fuzz",
            source="fuzz.txt",
            content_hash="0" * 40,
            text=text,
            page_starts=page_starts,
            meta=DocumentMeta(),
        )
        chunks = chunk_document(doc, clean(text), size=200)
        for chunk in chunks:
            assert 0 <= chunk.start <= chunk.end <= len(text)
            assert all(chunk.start <= s.start <= s.end <= chunk.end for s in chunk.sentences)
        self.index.write([(doc, chunks)], [], {c.text_hash: [0.0] for c in chunks})
        assert self.index.check_spans() == []


def _crasher_guard(budget: Budget, kind: str, check, text: str) -> None:
    try:
        check(text)
    except BaseException:
        budget.failing.append((kind, text.encode("utf-8", "surrogatepass"), ".txt"))
        raise


def test_every_cleaned_character_maps_back_to_the_original():
    budget = Budget(4)

    @fuzz(1200)
    @given(text=TEXTS)
    def run(text):
        if budget.allows():
            _crasher_guard(budget, "clean", check_clean_maps_back, text)

    run_keeping_crasher(run, budget)
    print(f"\nFIGURE fuzz clean: {budget.runs} executions")


def test_sentence_spans_stay_on_one_line_and_in_order():
    budget = Budget(2)

    @fuzz(800)
    @given(text=TEXTS)
    def run(text):
        if budget.allows():
            _crasher_guard(budget, "sentences", check_sentences, text)

    run_keeping_crasher(run, budget)
    print(f"\nFIGURE fuzz split_sentences: {budget.runs} executions")


WORDS = st.lists(st.sampled_from("Kent Police audited the breaches of orders and trained officers".split()), min_size=1)
REPEATED_PAGE = st.lists(WORDS.map(" ".join), min_size=1, max_size=12).map("\n".join)


def _letters(text: str) -> int:
    return sum(ch.isalpha() for ch in text)


def test_pages_that_repeat_one_text_keep_all_of_it():
    """Running-header removal never takes a page's body: a document whose every page is the same
    text (short lines or long) keeps every letter of it (before: all of a page of up to six
    lines went as "headers", 1 character of 132,891 was left of a 500-page PDF)."""
    budget = Budget(3)

    @fuzz(400)
    @given(page=REPEATED_PAGE, copies=st.integers(2, 60))
    @example(page="Kent Police audited the breaches\nof orders and\ntrained officers", copies=500)
    def run(page, copies):
        if budget.allows():
            cleaned = clean(PAGE_BREAK.join([page] * copies)).text
            assert _letters(cleaned) == copies * _letters(page)

    run(), print(f"\nFIGURE fuzz repeated pages: {budget.runs} executions")


def test_running_headers_and_footers_are_still_removed_from_pages_with_their_own_text():
    pages = [
        f"KENT POLICE - OFFICIAL\nResponse to HMICFRS\nBody text of page {n} says something new: {word}.\n"
        f"More of page {n}.\nPage {n} of 4"
        for n, word in enumerate(["audit", "training", "orders", "victims"], 1)
    ]
    cleaned = clean(PAGE_BREAK.join(pages)).text
    assert "KENT POLICE" not in cleaned and "Response to HMICFRS" not in cleaned and "Page 2 of 4" not in cleaned
    assert all(f"page {n} says something new" in cleaned for n in range(1, 5))
    # a repeated line in the middle of pages, or a long one, is text; so is a header that is most of a page
    middle = [f"Header\nOpening {n}.\nA line every page repeats.\nClosing {n}." for n in range(4)]
    assert clean(PAGE_BREAK.join(middle)).text.count("A line every page repeats.") == 4
    long_line = "A long repeated line " + "that runs on " * 10
    assert clean(PAGE_BREAK.join(f"{long_line}\nBody {n}." for n in range(4))).text.count(long_line.strip()) == 4
    full = "Gwent Police and Crime Commissioner\nThe {n} page of text, which says a good deal more than its header."
    pages = [full.format(n=n) for n in ("first", "second", "third")] + ["Gwent Police and Crime Commissioner\nOk."]
    assert clean(PAGE_BREAK.join(pages)).text.count("Gwent Police and Crime Commissioner") == 1  # the last page's


# A line holding only a number inside a page of a multi-page document is removed as a page
# number when the document is cleaned, but kept when the chunk's span is re-cleaned alone (one
# page): `check_spans` then reports a sound chunk as damaged.
BARE_NUMBER_LINE = (
    "Gwent Police has audited breach recording across the force.\n12\n"
    "The audit found most breaches were recorded correctly.\fSecond page about stalking."
)


def test_check_spans_finds_nothing_wrong_with_what_ingest_wrote(tmp_path):
    """`status --check` must not report sound chunks: `Index.check_spans` on a document just
    chunked and written finds no problem, whatever the text."""
    budget = Budget(4)
    check = SpanChecker(tmp_path / "index")

    @fuzz(300)
    @example(text=BARE_NUMBER_LINE)
    @given(text=TEXTS)
    def run(text):
        if budget.allows():
            _crasher_guard(budget, "chunk-span", check, text)

    run_keeping_crasher(run, budget)
    print(f"\nFIGURE fuzz chunk spans: {budget.runs} executions")


# ---- regressions ---------------------------------------------------------------------------


def _saved() -> list[Path]:
    return sorted(
        p for p in CRASHERS.glob("*") if p.suffix.lower() in (".pdf", ".txt", ".md") and not p.name.startswith("README")
    )


@pytest.mark.parametrize("path", _saved(), ids=lambda p: p.name)
def test_saved_crashers_stay_fixed(path, tmp_path):
    """Every input a fuzz test ever broke on: loaded through the loader, and (text ones) through
    the cleaner, the sentence splitter, the chunker and the span check."""
    load_or_reason(path)
    if path.suffix == ".txt" and not path.name.startswith(("pdf-", "bytes-", "contained-")):
        text = path.read_bytes().decode("utf-8", "surrogatepass")
        check_clean_maps_back(text)
        check_sentences(text)
        SpanChecker(tmp_path / "index")(text)
