"""The web chat in a real browser (Debian's Chromium through Playwright): ask, read the cited
passage, upload, stay safe with hostile documents, filter. One server and one browser for the
module; each test opens its own tab, i.e. its own chat session. A screenshot per scenario goes
to test-output/screenshots/."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests import pdfs
from tests.web_fixtures import browser, page, screenshot, web_server  # noqa: F401  (fixtures)

pytestmark = pytest.mark.browser

ANSWER_TIMEOUT_MS = 30_000


def _norm(text: str) -> str:
    return " ".join(text.split())


def ask(tab, question: str) -> None:
    """Ask in the chat and wait until the answer and its source cards are complete."""
    turns = int(tab.locator("#cards .cite-wrap").get_attribute("data-turns"))
    tab.fill("#question textarea", question)
    tab.click("#ask-button")
    tab.locator(f'#cards .cite-wrap[data-turns="{turns + 1}"]').wait_for(timeout=ANSWER_TIMEOUT_MS)


def last_answer(tab) -> str:
    return tab.locator('#chatbot [data-testid="bot"]').last.inner_text()


def upload(tab, path) -> str:
    tab.get_by_role("tab", name="Documents").click()
    tab.set_input_files("#upload input[type=file]", str(path))
    result = tab.locator("#upload-result li")
    result.first.wait_for(timeout=ANSWER_TIMEOUT_MS)
    return result.first.inner_text()


def viewer_position(tab) -> str:
    return tab.locator("#viewer .viewer-pos").inner_text()


def test_question_gets_cited_answer_and_viewer_highlights_the_quote(page, web_server):  # noqa: F811
    ask(page, "Which forces audited breach recording?")
    cards = page.locator("#cards .cite-card")
    n = cards.count()
    assert n >= 1
    assert "[1]" in last_answer(page)
    quotes = [_norm(q) for q in cards.locator(".cite-quote").all_inner_texts()]

    page.locator('#chatbot a[href="#cite-0-1"]').first.click()  # the marker [1] in the answer
    mark = page.locator("#viewer mark")
    mark.wait_for()
    assert _norm(mark.inner_text()) == quotes[0]

    cards.last.click()
    expect(page.locator("#viewer .viewer-pos")).to_contain_text(f"{n} of {n}")
    assert _norm(mark.inner_text()) == quotes[-1]
    assert mark.evaluate(
        "m => { const r = m.getBoundingClientRect(), box = m.closest('.doc-text').getBoundingClientRect();"
        " return r.top >= box.top - 1 && r.top <= box.bottom; }"
    ), "the quote is scrolled into view"
    assert page.locator("#download-original").is_enabled()
    screenshot(page, "ask-and-view-citation")

    if n > 1:
        page.click("#prev-cite")
        expect(page.locator("#viewer .viewer-pos")).to_contain_text(f"{n - 1} of {n}")
        assert _norm(mark.inner_text()) == quotes[-2]


def test_feedback_export_and_new_conversation(page, web_server):  # noqa: F811
    ask(page, "Which forces audited breach recording?")
    feedback = web_server.settings.data_dir / "feedback.jsonl"
    before = feedback.read_text().count("\n") if feedback.exists() else 0
    page.fill("#feedback-comment textarea", "clear and cited")
    page.click("#feedback-up")
    expect(page.locator("#feedback-comment textarea")).to_have_value("")
    record = json.loads(feedback.read_text().splitlines()[before])
    assert record["rating"] == "up" and record["comment"] == "clear and cited"
    assert record["question"] == "Which forces audited breach recording?" and record["citations"]

    with page.expect_download() as download:
        page.click("#export-json")
    exported = json.loads(Path(download.value.path()).read_text())
    assert exported["turns"][0]["citations"] == record["citations"]
    screenshot(page, "feedback-and-export")

    page.click("#new-conversation")
    page.locator('#cards .cite-wrap[data-turns="0"]').wait_for()
    assert page.locator('#chatbot [data-testid="bot"]').count() == 0


def test_uploaded_pdf_is_listed_and_answerable_with_a_citation_to_it(page, web_server, tmp_path):  # noqa: F811
    pdf = pdfs.text_pdf(
        tmp_path / "dorset response 2020.pdf",
        [
            "Letter from the Police and Crime Commissioner for Dorset to the Home Secretary, 3 March 2020.\n\n"
            "Dorset Police opened the Zephyr stalking triage desk on 3 March 2020, staffed by fourteen "
            "specialist officers who review every new stalking report within a day.\n\n"
            "The force will report on the Zephyr desk to the Police and Crime Panel in the autumn."
        ],
    )
    outcome = upload(page, pdf)
    assert "added" in outcome, outcome
    expect(page.locator("#documents-table")).to_contain_text("dorset-response-2020.pdf")
    screenshot(page, "upload-pdf-documents")

    page.get_by_role("tab", name="Chat").click()
    ask(page, "When did Dorset Police open the Zephyr stalking triage desk?")
    assert "fourteen specialist officers" in last_answer(page)
    cards = page.locator("#cards .cite-card")
    assert cards.count() >= 1
    cards.first.click()
    page.locator("#viewer mark").wait_for()
    assert "dorset-response-2020.pdf" in page.locator("#viewer .viewer-meta").inner_text()
    screenshot(page, "upload-pdf-answered")


def test_html_and_script_in_a_document_render_as_text(page, web_server, tmp_path):  # noqa: F811
    payload = "<img src=x onerror=alert(1)> <script>window.__xss=1</script>"
    hostile = tmp_path / "kent-quokka.txt"
    hostile.write_text(
        "Letter from the Police and Crime Commissioner for Kent, 2 February 2020.\n\n"
        f"Kent Police appointed a quokka liaison officer {payload} to support victims of stalking.\n\n"
        f"The quokka liaison officer reviews every stalking case each week. {payload}\n"
    )
    assert "added" in upload(page, hostile)
    page.get_by_role("tab", name="Chat").click()
    ask(page, "What does the quokka liaison officer do?")
    cards = page.locator("#cards .cite-card")
    assert cards.count() >= 1
    cards.first.click()
    page.locator("#viewer mark").wait_for()

    viewer = page.locator("#viewer .doc-text").inner_text()
    assert payload in viewer  # shown literally, as text
    assert page.locator("#viewer img, #cards img, #chatbot img, #viewer script").count() == 0
    screenshot(page, "xss-document-as-text")
    page.get_by_role("tab", name="Documents").click()
    expect(page.locator("#documents-table")).to_contain_text("kent-quokka.txt")
    assert page.locator("#documents-table img").count() == 0
    assert page.evaluate("window.__xss") is None
    assert page.watch.dialogs == [], "a script from the document ran"


def test_force_filter_limits_the_citations_to_that_force(page, web_server):  # noqa: F811
    page.click("#filter-force input")
    page.get_by_role("option", name="Devon and Cornwall", exact=True).click()
    page.keyboard.press("Escape")
    ask(page, "Which forces audited breach recording?")
    forces = [_norm(c.inner_text()) for c in page.locator("#cards .cite-card b").all()]
    assert forces, "the filtered answer cites nothing"
    assert set(forces) == {"Devon and Cornwall"}
    assert "Filters on: force: Devon and Cornwall" in last_answer(page)
    screenshot(page, "force-filter")
