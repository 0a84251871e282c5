"""The Evaluate and Compare tabs in a real browser (Debian's Chromium through Playwright)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.web_fixtures import browser, page, screenshot, web_server  # noqa: F401  (fixtures)

pytestmark = pytest.mark.browser

SMALL_SET = """\
- id: t1
  question: How many frontline officers did Gwent train?
  expect: {docs: [corpus/gwent-pcc-2019-05-14.txt], facts: [["800"]]}
- id: t2
  question: What is the salary of the Gwent PCC?
  expect: {abstain: true}
"""


def test_evaluate_tab_runs_an_uploaded_set_and_offers_the_report(page, tmp_path):  # noqa: F811
    questions = tmp_path / "small.yaml"
    questions.write_text(SMALL_SET)
    page.get_by_role("tab", name="Evaluate").click()
    page.locator("input[type=file]").last.set_input_files(str(questions))
    page.click("#eval-run")
    summary = page.locator("#eval-summary")
    expect(summary).to_contain_text("Overall", timeout=60_000)
    expect(summary).to_contain_text("t1")
    screenshot(page, "evaluate-tab")
    expect(page.locator("#eval-files")).to_contain_text(re.compile(r"report\s*\.html"), timeout=10_000)


def test_evaluate_tab_explains_a_malformed_set(page, tmp_path):  # noqa: F811
    bad = tmp_path / "bad.yaml"
    bad.write_text("- id: x1\n  qestion: typo\n  expect: {}\n")
    page.get_by_role("tab", name="Evaluate").click()
    page.locator("input[type=file]").last.set_input_files(str(bad))
    page.click("#eval-run")
    expect(page.get_by_text("does not fit the schema").first).to_be_visible(timeout=30_000)


def test_compare_tab_shows_the_grid_and_opens_a_cells_passage(page):  # noqa: F811
    page.get_by_role("tab", name="Compare").click()
    page.fill("#compare-typed textarea", "audited how breaches of orders are recorded")
    page.click("#compare-run")
    grid = page.locator("#compare-grid")
    expect(grid).to_contain_text("Gwent", timeout=60_000)
    cell = page.locator('#compare-grid td[title^="Gwent ·"]').first
    expect(cell).to_contain_text("done")
    cell.click()
    expect(page.locator("#compare-passages")).to_contain_text("reviewed the occurrences", timeout=20_000)
    expect(page.locator("#compare-viewer mark").first).to_be_visible(timeout=20_000)
    expect(page.locator("#compare-downloads")).to_contain_text(re.compile(r"\.csv"), timeout=20_000)
    screenshot(page, "compare-tab")
