"""Chroma server mode: pointing the assistant at `chroma run` gives the same cited answers as the
embedded store, and a server that cannot be reached is a quick, clear error, never a hang.

The server is the `chroma` CLI that the chromadb package installs, on 127.0.0.1 and a free port.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from assistant.core import Assistant
from assistant.settings import PROJECT_DIR, Settings
from ingest.pipeline import ingest
from ingest.store import IndexUnavailable
from tests.small_docs import KENT_V2, SURREY

pytestmark = [pytest.mark.server, pytest.mark.slow]

CHROMA = Path(sys.executable).with_name("chroma")
SEED_CORPUS = PROJECT_DIR / "corpus"
QUESTIONS = (
    "Which forces audited breach recording?",
    "How many frontline officers did Gwent train on stalking?",
    "When did the Gwent PCC write to the Home Secretary?",
)
SERVER_START_TIMEOUT_S = 60
UNREACHABLE_BOUND_S = 10


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def closed_port() -> int:
    """A port nothing listens on (bound once, then released)."""
    return free_port()


def wait_for_heartbeat(port: int, server: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + SERVER_START_TIMEOUT_S
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"`chroma run` exited with {server.returncode}:\n{log.read_text(errors='replace')[-2000:]}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=1) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    pytest.fail(
        f"`chroma run` did not answer its heartbeat within {SERVER_START_TIMEOUT_S} s:\n"
        f"{log.read_text(errors='replace')[-2000:]}"
    )


@pytest.fixture(scope="module")
def chroma_server(tmp_path_factory: pytest.TempPathFactory):
    """(host, port) of a `chroma run` server with its own data directory; stopped afterwards."""
    assert CHROMA.exists(), f"{CHROMA} is missing: the chromadb package installs the `chroma` CLI"
    base = tmp_path_factory.mktemp("chroma-server")
    port = free_port()
    log = base / "server.log"
    with log.open("wb") as out:
        server = subprocess.Popen(
            [str(CHROMA), "run", "--path", str(base / "data"), "--host", "127.0.0.1", "--port", str(port)],
            stdout=out,
            stderr=subprocess.STDOUT,
            env={**os.environ, "ANONYMIZED_TELEMETRY": "False"},
        )
    try:
        wait_for_heartbeat(port, server, log)
        yield "127.0.0.1", port
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)


def citations(settings: Settings) -> list[list[tuple]]:
    assistant = Assistant(settings)
    return [[(c.doc_id, c.start, c.end, c.quote) for c in assistant.ask(q).citations] for q in QUESTIONS]


@pytest.fixture(scope="module")
def embedded_citations(tmp_path_factory: pytest.TempPathFactory) -> list[list[tuple]]:
    settings = Settings(chroma_host=None, index_dir=tmp_path_factory.mktemp("embedded-index"), corpus_dir=SEED_CORPUS)
    ingest(settings)
    return citations(settings)


@pytest.fixture(scope="module")
def server_settings(chroma_server, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """Settings from the fixed ASSISTANT_* variables, pointing at the server, with the seed corpus ingested."""
    host, port = chroma_server
    index_dir = tmp_path_factory.mktemp("server-index")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("ASSISTANT_CHROMA_HOST", host)
        env.setenv("ASSISTANT_CHROMA_PORT", str(port))
        env.setenv("ASSISTANT_INDEX_DIR", str(index_dir))
        env.setenv("ASSISTANT_CORPUS_DIR", str(SEED_CORPUS))
        settings = Settings()
    assert settings.server_mode and (settings.chroma_host, settings.chroma_port) == (host, port)
    report = ingest(settings)
    assert not report.failed and report.embedded == report.chunks > 0
    return settings


def test_server_mode_answers_cite_the_same_passages_as_embedded_mode(server_settings, embedded_citations) -> None:
    served = citations(server_settings)
    assert all(embedded_citations), "every question should be answered with citations on the seed corpus"
    assert served == embedded_citations


def test_server_mode_keeps_the_vectors_on_the_server(server_settings) -> None:
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    client = chromadb.HttpClient(
        host=server_settings.chroma_host,
        port=server_settings.chroma_port,
        settings=ChromaSettings(anonymized_telemetry=False),
    )
    stored = client.get_collection(server_settings.collection).count()
    from ingest.store import Index

    assert stored == Index(server_settings).stats()["chunks"]
    assert not (Path(server_settings.index_dir) / "chroma").exists(), "no embedded store beside the server"


def test_reingest_through_the_server_embeds_nothing(server_settings) -> None:
    report = ingest(server_settings)
    assert report.embedded == 0 and report.unchanged == report.documents


def _unreachable(settings: Settings, port: int) -> Settings:
    return settings.model_copy(update={"chroma_host": "127.0.0.1", "chroma_port": port})


def test_ingest_against_an_unreachable_server_fails_quickly_naming_it(tmp_path: Path) -> None:
    import chromadb  # noqa: F401  the import is not what is timed

    port = closed_port()
    settings = Settings(chroma_host="127.0.0.1", chroma_port=port, index_dir=tmp_path / "index", corpus_dir=SEED_CORPUS)
    started = time.monotonic()
    with pytest.raises(IndexUnavailable, match=f"127.0.0.1:{port}"):
        ingest(settings)
    assert time.monotonic() - started < UNREACHABLE_BOUND_S


def test_a_server_that_goes_away_stops_ingests_not_questions_on_vectors_already_filed(
    server_settings, tmp_path
) -> None:
    """Questions are scored against the vector file beside the manifest (Index.vectors), written
    from the server the first time; only a process that must read the server needs it."""
    assert citations(server_settings)[0]  # the vector file of this generation is written
    away = _unreachable(server_settings, closed_port())
    assert Assistant(away).ask(QUESTIONS[0]).citations

    shutil.copytree(server_settings.index_dir, tmp_path / "index", ignore=shutil.ignore_patterns("vectors-*"))
    assistant = Assistant(away.model_copy(update={"index_dir": tmp_path / "index"}))
    started = time.monotonic()
    with pytest.raises(IndexUnavailable, match=f"127.0.0.1:{away.chroma_port}"):
        assistant.ask(QUESTIONS[0])
    assert time.monotonic() - started < UNREACHABLE_BOUND_S


def test_cli_reports_an_unreachable_server_in_one_sentence(tmp_path: Path) -> None:
    port = closed_port()
    env = {**os.environ, "ASSISTANT_INDEX_DIR": str(tmp_path / "index"), "ANONYMIZED_TELEMETRY": "False"}
    env.pop("ASSISTANT_CHROMA_HOST", None)
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "assistant",
            "--chroma-host",
            "127.0.0.1",
            "--chroma-port",
            str(port),
            "ingest",
            str(SEED_CORPUS),
            "--json",
        ],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 1
    assert f"127.0.0.1:{port}" in proc.stderr and "Traceback" not in proc.stderr


def test_a_server_that_never_answers_is_an_error_not_a_hang(tmp_path: Path) -> None:
    with socket.socket() as silent:  # accepts connections (backlog) and never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        port = silent.getsockname()[1]
        # In a child process, so that a hang costs this test a timeout rather than the suite.
        code = (
            "import sys, time\nfrom pathlib import Path\nfrom assistant.settings import Settings\n"
            "from ingest.store import Index, IndexUnavailable\nimport chromadb\n"
            f"s = Settings(chroma_host='127.0.0.1', chroma_port={port}, index_dir=Path({str(tmp_path)!r}))\n"
            "started = time.monotonic()\n"
            "try:\n    Index(s).collection\nexcept IndexUnavailable as exc:\n"
            "    print(round(time.monotonic() - started, 2))\n    print(exc)\n    sys.exit(3)\n"
        )
        try:
            proc = subprocess.run(
                [sys.executable, "-c", code],
                cwd=PROJECT_DIR,
                capture_output=True,
                text=True,
                timeout=60 + UNREACHABLE_BOUND_S,
            )  # imports on a busy machine, then the bound
        except subprocess.TimeoutExpired:
            pytest.fail(f"opening the store against a silent server at 127.0.0.1:{port} hung")
    assert proc.returncode == 3, json.dumps([proc.stdout, proc.stderr[-500:]])
    seconds, message = proc.stdout.split("\n", 1)
    assert float(seconds) < UNREACHABLE_BOUND_S and f"127.0.0.1:{port}" in message


def test_two_app_processes_share_one_corpus_through_the_server(chroma_server, tmp_path) -> None:
    """What one worker ingests (another process, same server and index dir), the other answers from."""
    host, port = chroma_server
    settings = Settings(chroma_host=host, chroma_port=port, collection="two-workers", index_dir=tmp_path / "index")
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir(), second.mkdir()
    (first / "surrey.txt").write_text(SURREY)
    (second / "kent.txt").write_text(KENT_V2)
    assert ingest(settings, [first]).added == 1
    worker = Assistant(settings)
    question = "How many frontline officers has Kent Police trained to recognise stalking?"
    assert not any("450" in c.quote for c in worker.ask(question).citations)

    env = {
        **os.environ,
        "ASSISTANT_CHROMA_HOST": host,
        "ASSISTANT_CHROMA_PORT": str(port),
        "ASSISTANT_COLLECTION": "two-workers",
        "ASSISTANT_INDEX_DIR": str(settings.index_dir),
        "ANONYMIZED_TELEMETRY": "False",
    }
    other = subprocess.run(
        [sys.executable, "-m", "assistant", "ingest", str(first), str(second), "--json"],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert other.returncode == 0, other.stderr[-2000:]
    assert json.loads(other.stdout)["added"] == 1

    answer = worker.ask(question)
    assert any("450 frontline officers" in c.quote for c in answer.citations)
    assert len(worker.retriever.snapshot().documents) == 2
