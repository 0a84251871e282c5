"""Fixtures for the web tests: a small real index, a server on a free loopback port, Chromium.

Import the fixtures you use into a test module (`from tests.web_fixtures import web_server`);
each module gets its own copy of the index and its own server (module scope), built from one
index per test session so the seed corpus is embedded only once.
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


@pytest.fixture(scope="module")
def web_server(tmp_path_factory) -> WebServer:
    """The web app on 127.0.0.1:<free port> over a private copy of the seed index."""
    from assistant.core import Assistant
    from assistant.web import build_app, launch

    root = tmp_path_factory.mktemp("web")
    shutil.copytree(seed_index(), root, dirs_exist_ok=True)
    port = free_port()
    settings = Settings(
        index_dir=root / "index", corpus_dir=root / "corpus", host="127.0.0.1", port=port, max_upload_mb=5
    )
    assistant = Assistant(settings)
    app = build_app(assistant, stream_delay=0)
    launch(app, settings, block=False, quiet=True)
    try:
        yield WebServer(url=f"http://127.0.0.1:{port}/", settings=settings, assistant=assistant)
    finally:
        app.close()


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
    """What a page did that a test may forbid: dialogs opened, requests off the machine."""

    dialogs: list[str]
    external: list[str]


@pytest.fixture
def page(browser, web_server):
    """A fresh browser tab (its own chat session) on the app; fails on any off-machine request."""
    context = browser.new_context(viewport={"width": 1500, "height": 1000})
    tab = context.new_page()
    tab.set_default_timeout(20_000)
    watch = PageWatch(dialogs=[], external=[])

    def on_dialog(dialog):
        watch.dialogs.append(dialog.message)
        dialog.dismiss()

    def on_request(request):
        if not request.url.startswith(("http://127.0.0.1", "data:", "blob:")):
            watch.external.append(request.url)

    tab.on("dialog", on_dialog)
    tab.on("request", on_request)
    tab.watch = watch
    tab.goto(web_server.url)
    tab.wait_for_selector("#question textarea")
    yield tab
    context.close()
    assert not watch.external, f"the page made requests off the machine: {watch.external}"


def screenshot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
