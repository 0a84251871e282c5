"""The other tabs in a real browser (Debian's Chromium through Playwright): Evaluate (summary
card, floors, baseline, the items table, downloads, progress), Compare (the deciding phrase,
rejected passages), Documents; streaming with a language model; an axe-core pass of every tab
at both sizes and keyboard reachability of every control.
"""

from __future__ import annotations

import re
import shutil
import time
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from playwright.sync_api import expect

from assistant.answer.extractive import ExtractiveAnswerer
from assistant.answer.generative import GenerativeAnswerer
from assistant.core import Assistant
from tests.web_fixtures import (  # noqa: F401  (fixtures)
    ANSWER_TIMEOUT_MS,
    DESKTOP,
    PHONE,
    ask,
    browser,
    last_turn,
    open_page,
    page,
    phone,
    screenshot,
    seed_index,
    start_server,
    web_server,
)

pytestmark = pytest.mark.browser

SMALL_SET = """\
- id: t1
  question: How many frontline officers did Gwent train?
  expect: {docs: [corpus/gwent-pcc-2019-05-14.txt], facts: [["800"]]}
- id: t2
  question: What is the salary of the Gwent PCC?
  expect: {abstain: true}
- id: t3
  question: Which force trained its officers on unicorn welfare?
  expect: {facts: [["unicorn"]], abstain: false}
"""


# ---- Evaluate ---------------------------------------------------------------------------------
def _run_uploaded_set(tab, tmp_path, text: str = SMALL_SET):
    questions = tmp_path / "small.yaml"
    questions.write_text(text)
    tab.get_by_role("tab", name="Evaluate").click()
    tab.locator("#eval-upload input[type=file]").set_input_files(str(questions))
    tab.click("#eval-run")


def test_evaluate_shows_a_summary_card_first_then_failures_with_downloads_at_the_top(page, tmp_path):  # noqa: F811
    _run_uploaded_set(page, tmp_path)
    card = page.locator("#eval-summary .eval-card")
    expect(card).to_be_visible(timeout=120_000)
    expect(card.locator("table.metrics thead")).to_contain_text("project")
    expect(card.locator("table.metrics thead")).to_contain_text("baseline")  # side by side
    expect(page.locator("#eval-download-html")).to_be_enabled()
    order = [page.locator(s).bounding_box()["y"] for s in ("#eval-downloads", "#eval-summary", "#eval-items")]
    assert order == sorted(order), "downloads, then the summary, then the items"

    rows = page.locator("#eval-items tr.item")
    visible = page.locator("#eval-items tr.item:visible")
    assert 0 < visible.count() < rows.count(), "the table starts filtered to the failures"
    for row in visible.all():
        expect(row).to_have_class(re.compile(r"\bfailed\b"))
    headers = page.locator("#eval-items th")
    for h in headers.all():
        assert h.evaluate("e => getComputedStyle(e).whiteSpace") == "nowrap", "headers never break mid-word"
    first = visible.first
    first.locator("button.expand").click()
    detail = page.locator("#eval-items tr.detail:visible").first
    expect(detail).to_contain_text("Answer")
    page.locator("#eval-items .only-failures").uncheck()
    page.locator("#eval-items select.pipeline").select_option("")
    expect(visible).to_have_count(rows.count())
    page.locator("#eval-items").get_by_role("button", name="id", exact=True).click()
    ids = [t for t in page.locator("#eval-items tr.item:visible td:nth-child(4)").all_inner_texts()]
    assert ids == sorted(ids)
    shown = page.locator("body").inner_text()
    assert "/tmp/" not in shown and str(tmp_path) not in shown, "no temporary paths on the page"
    with page.expect_download() as download:
        page.click("#eval-download-md")
    report = Path(download.value.path()).read_text()
    assert "/tmp/" not in report and "small.yaml" in report, "nor in the report"
    screenshot(page, "evaluate-summary", full_page=True)


def test_evaluate_a_shipped_set_with_its_floors_and_a_progress_bar(page):  # noqa: F811
    page.get_by_role("tab", name="Evaluate").click()
    page.click("#eval-set input")
    page.get_by_role("option", name="evals/questions.yaml", exact=True).click()
    page.locator("#eval-pipeline").get_by_label("project").check()
    page.click("#eval-run")
    progress = page.locator("#eval-summary .progress-bar, #eval-summary .progress-level")
    expect(progress.first).to_be_visible(timeout=30_000)
    screenshot(page, "evaluate-progress")
    card = page.locator("#eval-summary .eval-card")
    expect(card).to_be_visible(timeout=240_000)
    expect(card.locator(".verdict")).to_contain_text(re.compile(r"(Pass|Fail): .*floors\.yaml"))
    expect(card.locator("table.metrics thead")).to_contain_text("gate")


def test_a_malformed_set_is_explained_beside_the_set_picker(page, tmp_path):  # noqa: F811
    _run_uploaded_set(page, tmp_path, "- id: x1\n  qestion: typo\n  expect: {}\n")
    note = page.locator("#eval-note .field-error")
    expect(note).to_contain_text("does not fit the schema", timeout=30_000)
    expect(note).to_contain_text("small.yaml")
    assert "/tmp/" not in note.inner_text()
    assert page.locator(".toast-body").count() == 0


# ---- Compare ----------------------------------------------------------------------------------
def test_compare_shows_the_deciding_phrase_first_and_the_rejected_passages_of_not_mentioned(page):  # noqa: F811
    page.get_by_role("tab", name="Compare").click()
    page.fill("#compare-typed textarea", "audited how breaches of orders are recorded")
    page.click("#compare-run")
    grid = page.locator("#compare-grid")
    expect(grid.locator("td[data-cell]").first).to_be_visible(timeout=60_000)
    expect(page.locator("#compare-downloads")).to_contain_text(re.compile(r"\.csv"), timeout=20_000)

    decided = grid.locator("td[data-cell]:not(.status-not_mentioned)").first
    decided.click()
    passages = page.locator("#compare-passages")
    expect(passages.locator(".deciding")).to_be_visible()
    expect(passages.locator(".deciding .cite-quote mark.cue")).to_be_visible()
    expect(passages.locator(".decided-by")).to_contain_text("Decided by the phrase")
    cue = passages.locator(".decided-by mark.cue").inner_text()
    assert cue.lower() in passages.locator(".deciding .cite-quote").inner_text().lower()
    expect(page.locator("#compare-viewer mark.cited").first).to_be_visible()
    screenshot(page, "compare-deciding-phrase")

    missing = grid.locator("td.status-not_mentioned")
    if missing.count():
        missing.first.click()
        near = passages.locator("details.near")
        expect(near).to_be_visible()
        assert near.get_attribute("open") is None, "the rejected passages start collapsed"
        near.locator("summary").click()
        expect(near.locator(".near-list li").first).to_be_visible()
        screenshot(page, "compare-rejected-passages")


# ---- Documents --------------------------------------------------------------------------------
def test_documents_are_named_by_title_and_file_name(page, web_server):  # noqa: F811
    page.get_by_role("tab", name="Documents").click()
    table = page.locator("#documents-table")
    expect(table).to_contain_text("gwent-pcc-2019-05-14.txt")
    assert str(web_server.settings.corpus_dir) not in table.inner_text()
    page.click("#delete-button")
    expect(page.locator("#delete-result .field-error")).to_contain_text("Choose a document")


# ---- streaming with a language model ------------------------------------------------------------
class SlowQuotingModel(BaseChatModel):
    """A chat model that quotes its first source verbatim, one word every `delay` seconds."""

    delay: float = 0.04

    @property
    def _llm_type(self) -> str:
        return "slow-quoting"

    def _reply(self, messages) -> str:
        n, force, text = re.findall(
            r'<source id="(\d+)" force="([^"]*)"[^>]*>\n(.*?)\n</source>', messages[-1].content, re.S
        )[0]
        return f'{force} wrote: "{text}" [{n}]'

    def _generate(self, messages, stop=None, run_manager=None, **kwargs) -> ChatResult:
        return ChatResult(generations=[ChatGeneration(message=AIMessage(content=self._reply(messages)))])

    def _stream(self, messages, stop=None, run_manager=None, **kwargs):
        for word in re.split(r"(\s+)", self._reply(messages)):
            time.sleep(self.delay)
            yield ChatGenerationChunk(message=AIMessageChunk(content=word))


def _with_model(settings) -> Assistant:
    assistant = Assistant(settings)
    assistant.__dict__["answerer"] = GenerativeAnswerer(
        assistant.retriever, ExtractiveAnswerer(assistant.retriever), settings, model=SlowQuotingModel()
    )
    return assistant


@pytest.fixture(scope="module")
def llm_server(tmp_path_factory):
    root = tmp_path_factory.mktemp("web-llm")
    shutil.copytree(seed_index(), root, dirs_exist_ok=True)
    server = start_server(root, _with_model, llm="fake:slow-quoting")
    try:
        yield server
    finally:
        server.app.close()


WATCH_DRAFTS = """() => { window.__drafts = []; new MutationObserver(() => {
  const draft = document.querySelector('#conversation .turn.pending .answer.draft');
  if (draft && draft.querySelector('.draft-note')) window.__drafts.push(draft.textContent.length);
}).observe(document.getElementById('conversation'), {subtree: true, childList: true, characterData: true}); }"""


def test_a_language_models_words_stream_as_a_draft_until_the_verified_answer_replaces_it(browser, llm_server):  # noqa: F811
    context, tab = open_page(browser, llm_server.url, DESKTOP)
    try:
        tab.evaluate(WATCH_DRAFTS)
        ask(tab, "How many frontline officers did Gwent train?")
        drafts = tab.evaluate("window.__drafts")
        assert len(set(drafts)) >= 3 and drafts == sorted(drafts), f"the draft grew as the model wrote: {drafts}"
        turn = last_turn(tab)
        expect(turn.locator(".draft-note")).to_have_count(0)
        expect(turn.locator(".cite-card").first).to_be_visible()
        expect(tab.locator("#answerer-name")).to_contain_text("generative")
        assert not tab.watch.errors
    finally:
        context.close()


# ---- accessibility --------------------------------------------------------------------------------
TABS = ("Chat", "Documents", "Compare", "Evaluate")


def _serious(results) -> list[str]:
    return [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_every_tab_has_no_serious_or_critical_axe_violation(browser, web_server, viewport):  # noqa: F811
    """axe-core (bundled in axe-playwright-python, injected from the package: nothing is
    fetched) on every tab, the chat with an answer, its sources and the viewer."""
    context, tab = open_page(browser, web_server.url, viewport)
    try:
        ask(tab, "What training was delivered?")
        axe = Axe()
        found = {}
        for name in TABS:
            tab.get_by_role("tab", name=name).click()
            tab.wait_for_timeout(300)
            found[name] = _serious(axe.run(tab))
        if viewport is PHONE:
            tab.get_by_role("tab", name="Chat").click()
            last_turn(tab).locator(".cite-marker").first.click()
            expect(tab.locator("#viewer .drawer-close")).to_be_focused()
            found["viewer drawer"] = _serious(axe.run(tab))
        assert not tab.watch.external, "axe made a request off the machine"
        assert {k: v for k, v in found.items() if v} == {}
    finally:
        context.close()


CONTROLS = "button, a[href], input, select, textarea, summary, [role=button], [role=tab], [tabindex]"


def test_every_control_can_be_reached_by_keyboard(page):  # noqa: F811
    ask(page, "What training was delivered?")
    ask(page, "And what about Cambridgeshire?")
    unreachable = page.evaluate(
        """(selector) => [...document.querySelectorAll(selector)].filter((e) => {
            const r = e.getBoundingClientRect();
            const shown = r.width > 0 && r.height > 0 && getComputedStyle(e).visibility !== 'hidden';
            const hidden = e.closest('[aria-hidden=true], .tab-container.visually-hidden');
            return shown && !e.disabled && e.tabIndex < 0 && !hidden && e.getAttribute('role') !== 'tab';
        }).map((e) => e.outerHTML.slice(0, 120))""",
        CONTROLS,
    )
    assert unreachable == [], "controls that Tab never reaches"

    page.locator("#tabs [role=tab]").first.focus()
    reached = set()
    for _ in range(400):
        page.keyboard.press("Tab")
        reached.add(
            page.evaluate(
                "() => { const e = document.activeElement; return (e.closest('[id]')?.id || '') + '|' + e.className }"
            )
        )
    wanted = [
        "question|",
        "ask-button|",
        "chip-toggle",
        "cite-marker",
        "cite-open",
        "ask-standalone",
        "fb-comment",
        "new-chat",
        "next-cite",
        "export-json|",
    ]
    missing = [w for w in wanted if not any(w in r for r in reached)]
    assert missing == [], f"not reached with Tab: {missing}"
    page.locator(".ask-standalone").first.focus()
    page.keyboard.press("Enter")
    page.locator('#conversation .conversation[data-turns="3"]').wait_for(timeout=ANSWER_TIMEOUT_MS)
