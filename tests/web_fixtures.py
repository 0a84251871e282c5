"""Fixtures for the web tests: a small real index, a server on a free loopback port, Chromium.

Import the fixtures you use into a test module (`from tests.web_fixtures import web_server`);
each module gets its own copy of the index and its own server (module scope), built from one
index per test session so the seed corpus is embedded only once. Pages open at the two sizes
the issue names: `page` (desktop, 1440×900) and `phone` (390×844), each in a browser context of
its own (its own chat session and its own browser storage).
"""

from __future__ import annotations

import atexit
import os
import shutil
import socket
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pytest

from assistant.settings import PROJECT_DIR, Settings

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
SCREENSHOTS = PROJECT_DIR / "test-output" / "screenshots"
DESKTOP = {"width": 1440, "height": 900}
PHONE = {"width": 390, "height": 844}
ANSWER_TIMEOUT_MS = 30_000


@lru_cache(maxsize=1)
def seed_index() -> Path:
    """A directory holding a copy of corpus/ and its index, built once per test process."""
    from ingest.pipeline import ingest

    root = Path(tempfile.mkdtemp(prefix="web-seed-"))
    atexit.register(shutil.rmtree, root, True)
    shutil.copytree(PROJECT_DIR / "corpus", root / "corpus")
    report = ingest(Settings(index_dir=root / "index", corpus_dir=root / "corpus"), None)
    assert not report.failed and report.chunks, report
    return root


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class WebServer:
    url: str
    settings: Settings
    assistant: object  # assistant.core.Assistant
    app: object  # the gr.Blocks


def start_server(root: Path, assistant_factory=None, **overrides) -> WebServer:
    """The web app on 127.0.0.1:<free port> over the index in `root` (a copy of the seed one);
    `assistant_factory(settings)` builds the Assistant (default: `Assistant(settings)`)."""
    from assistant.core import Assistant
    from assistant.web import build_app, launch

    port = free_port()
    settings = Settings(
        index_dir=root / "index",
        corpus_dir=root / "corpus",
        host="127.0.0.1",
        port=port,
        max_upload_mb=5,
        **overrides,
    )
    assistant = (assistant_factory or Assistant)(settings)
    assistant.retriever.snapshot()  # what `serve` does at start-up: the first answer is not a cold start
    assistant.embedder.embed_query("warm up")
    app = build_app(assistant)
    launch(app, settings, block=False, quiet=True)
    return WebServer(url=f"http://127.0.0.1:{port}/", settings=settings, assistant=assistant, app=app)


@pytest.fixture(scope="module")
def web_server(tmp_path_factory) -> WebServer:
    """The web app over a private copy of the seed index."""
    root = tmp_path_factory.mktemp("web")
    shutil.copytree(seed_index(), root, dirs_exist_ok=True)
    server = start_server(root)
    try:
        yield server
    finally:
        server.app.close()


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium through Playwright (never `playwright install`)."""
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: `apt-get install -y chromium` in .ci/run")
        pytest.skip(f"{CHROMIUM} is missing (apt-get install -y chromium); browser tests need it")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@dataclass
class PageWatch:
    """What a page did that a test may forbid: dialogs opened, requests off the machine, errors."""

    dialogs: list[str]
    external: list[str]
    errors: list[str]


def open_page(browser, url: str, viewport: dict):
    """A fresh browser context and tab on the app, its watch attached; returns (context, tab)."""
    context = browser.new_context(viewport=viewport)
    tab = context.new_page()
    tab.set_default_timeout(20_000)
    watch = PageWatch(dialogs=[], external=[], errors=[])

    def on_dialog(dialog):
        watch.dialogs.append(dialog.message)
        dialog.dismiss()

    def on_request(request):
        if not request.url.startswith(("http://127.0.0.1", "data:", "blob:")):
            watch.external.append(request.url)

    tab.on("dialog", on_dialog)
    tab.on("request", on_request)
    tab.on("pageerror", lambda exc: watch.errors.append(str(exc)))
    tab.watch = watch
    tab.goto(url)
    tab.wait_for_selector("#question textarea")
    tab.wait_for_selector("#history .new-chat")  # the page scripts have run
    return context, tab


def _page_fixture(browser, server: WebServer, viewport: dict):
    context, tab = open_page(browser, server.url, viewport)
    yield tab
    context.close()
    assert not tab.watch.external, f"the page made requests off the machine: {tab.watch.external}"
    assert not tab.watch.errors, f"the page's scripts failed: {tab.watch.errors}"


@pytest.fixture
def page(browser, web_server):
    """A desktop tab (1440×900): its own chat session; fails on any off-machine request."""
    yield from _page_fixture(browser, web_server, DESKTOP)


@pytest.fixture
def phone(browser, web_server):
    """A phone-sized tab (390×844)."""
    yield from _page_fixture(browser, web_server, PHONE)


def screenshot(page, name: str, full_page: bool = False) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path


# ---- driving the chat ---------------------------------------------------------------------------
def turns(tab) -> int:
    return int(tab.locator("#conversation .conversation").get_attribute("data-turns"))


def ask(tab, question: str) -> None:
    """Ask in the chat (Enter) and wait until the answer and its source cards are on the page."""
    before = turns(tab)
    tab.fill("#question textarea", question)
    tab.locator("#question textarea").press("Enter")
    tab.locator(f'#conversation .conversation[data-turns="{before + 1}"]').wait_for(timeout=ANSWER_TIMEOUT_MS)


def last_turn(tab):
    return tab.locator("#conversation .turn").last


def norm(text: str) -> str:
    return " ".join(text.split())
