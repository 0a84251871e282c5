"""Chroma server mode: pointing the assistant at `chroma run` gives the same cited answers as the
embedded store, and a server that cannot be reached is a quick, clear error, never a hang.

The server is the `chroma` CLI that the chromadb package installs, on 127.0.0.1 and a free port.
"""

from __future__ import annotations

import html
import json
import os
import shutil
import socket
import subprocess
import sys
import textwrap
import time
import urllib.request
from pathlib import Path

import pytest

from assistant.core import Assistant
from assistant.settings import PROJECT_DIR, Settings
from ingest.pipeline import ingest
from ingest.store import Index, IndexUnavailable
from tests.children import Child
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


class ChromaServer:
    """`chroma run` on 127.0.0.1 with its own data directory, which a test can kill (SIGKILL, no
    shutdown) and start again on the same port and data."""

    def __init__(self, base: Path):
        self.base, self.port = base, free_port()
        base.mkdir(parents=True, exist_ok=True)
        self.proc: subprocess.Popen | None = None
        self.starts = 0

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    def start(self) -> None:
        self.starts += 1
        log = self.base / f"server-{self.starts}.log"
        with log.open("wb") as out:
            data = str(self.base / "data")
            self.proc = subprocess.Popen(
                [str(CHROMA), "run", "--path", data, "--host", "127.0.0.1", "--port", str(self.port)],
                stdout=out,
                stderr=subprocess.STDOUT,
                env={**os.environ, "ANONYMIZED_TELEMETRY": "False"},
            )
        wait_for_heartbeat(self.port, self.proc, log)

    def kill(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
        if self.proc is not None:
            self.proc.wait(timeout=10)

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.kill()


@pytest.fixture(scope="module")
def chroma_server(tmp_path_factory: pytest.TempPathFactory):
    """(host, port) of a `chroma run` server with its own data directory; stopped afterwards."""
    assert CHROMA.exists(), f"{CHROMA} is missing: the chromadb package installs the `chroma` CLI"
    server = ChromaServer(tmp_path_factory.mktemp("chroma-server"))
    try:
        server.start()
        yield "127.0.0.1", server.port
    finally:
        server.stop()


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


# ---- the server killed mid-work ------------------------------------------------------------

STOP_BOUND_S = 10  # from the kill to the child's exit
FAULT_DOCS = 24  # generated documents: ~400 chunks, many steps of embedding


@pytest.fixture
def server(tmp_path: Path):
    """A `chroma run` of this test's own, to kill and start again."""
    server = ChromaServer(tmp_path / "chroma")
    server.start()
    yield server
    server.stop()


def _fault_env(settings: Settings) -> dict[str, str]:
    env = {
        **os.environ,
        "ASSISTANT_CHROMA_HOST": str(settings.chroma_host),
        "ASSISTANT_CHROMA_PORT": str(settings.chroma_port),
        "ASSISTANT_INDEX_DIR": str(settings.index_dir),
        "ASSISTANT_CORPUS_DIR": str(SEED_CORPUS),
        "ANONYMIZED_TELEMETRY": "False",
        "TOKENIZERS_PARALLELISM": "false",
    }
    return env


def _cli_child(hook: str, args: list[str], env: dict[str, str], tmp_path: Path) -> Child:
    """The command line (`assistant ARGS`) in a child process, after `hook` ran there. Hooks
    print markers on stdout and wait for the file `go` to appear."""
    code = "\n".join(
        [
            "import sys, time",
            "from pathlib import Path",
            f"GO = Path({str(tmp_path / 'go')!r})",
            "def wait_for_go():",
            "    deadline = time.monotonic() + 240",
            "    while not GO.exists() and time.monotonic() < deadline:",
            "        time.sleep(0.05)",
            textwrap.dedent(hook),
            f"sys.argv = ['assistant', *{args!r}]",
            "from assistant.cli import main",
            "main()",
        ]
    )
    return Child.python(code, tmp_path, env)


def _one_sentence_naming(child: Child, server: ChromaServer, *phrases: str) -> str:
    """The child's stderr is one line, "error: <sentence>", naming the server and saying what to
    do; no traceback anywhere."""
    stdout, stderr = "".join(child.output), child.stderr_path.read_text(errors="replace")
    assert "Traceback" not in stdout + stderr, stderr[-3000:]
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: "), stderr[-3000:]
    assert server.address in lines[0] and all(p in lines[0] for p in phrases), lines[0]
    return lines[0]


def _generated(tmp_path: Path, n: int) -> Path:
    from evals.gencorpus import generate

    generate(tmp_path / "out", n, fmt="txt")
    folder = tmp_path / "generated"
    folder.mkdir()
    for file in (tmp_path / "out").glob("*.txt"):
        shutil.copy(file, folder / file.name)
    return folder


def _rerun_and_check(settings: Settings, paths: list[Path]) -> dict:
    """After the server is back: `ingest` again, then `status --check` passes (both CLI)."""
    env = _fault_env(settings)
    again = subprocess.run(
        [sys.executable, "-m", "assistant", "ingest", *map(str, paths), "--json"],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert again.returncode == 0, again.stderr[-3000:]
    checked = subprocess.run(
        [sys.executable, "-m", "assistant", "status", "--check", "--json"],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert checked.returncode == 0, checked.stdout[-3000:] + checked.stderr[-3000:]
    assert json.loads(checked.stdout)["problems"] == []
    return json.loads(again.stdout)


def _server_settings(server: ChromaServer, tmp_path: Path) -> Settings:
    return Settings(chroma_host="127.0.0.1", chroma_port=server.port, index_dir=tmp_path / "index")


@pytest.mark.timeout(900)
def test_a_server_killed_while_an_ingest_embeds_stops_it_within_seconds_in_one_sentence(server, tmp_path) -> None:
    """Before: embedding went on for 40 s after the server died, then a 184-line ConnectError
    traceback from the write. Each encode call is slowed to 0.5 s (steps of 16 chunks), so the
    build would embed for well over STOP_BOUND_S after the kill."""
    from ingest.embed_onnx import ensure_exported

    settings = _server_settings(server, tmp_path)
    ensure_exported(settings.cache_dir, settings.model_path)
    folder = _generated(tmp_path, FAULT_DOCS)
    hook = """
        from ingest.embed_onnx import OnnxEncoder
        real = OnnxEncoder.encode
        def encode(self, *args, **kwargs):
            print("ENCODE", time.monotonic(), flush=True)
            time.sleep(0.5)
            return real(self, *args, **kwargs)
        OnnxEncoder.encode = encode
    """
    env = {**_fault_env(settings), "ASSISTANT_EMBED_BATCH_SIZE": "4"}
    child = _cli_child(hook, ["ingest", str(folder), "--json"], env, tmp_path)
    try:
        child.wait_for("ENCODE")
        server.kill()
        killed = time.monotonic()
        code = child.finish(timeout=120)
    finally:
        child.kill()
    stopped = time.monotonic() - killed
    after_kill = [line for line in child.output if line.startswith("ENCODE") and float(line.split()[1]) > killed]
    assert code == 1
    assert stopped < STOP_BOUND_S and len(after_kill) <= 3, (stopped, len(after_kill))
    message = _one_sentence_naming(child, server, "while the ingest was embedding", "run the ingest again")

    server.start()
    report = _rerun_and_check(settings, [folder])
    assert report["added"] == FAULT_DOCS and report["failed"] == []
    print(f"\nFIGURE server killed while embedding: stopped {stopped:.1f} s after the kill; {message}")


@pytest.mark.timeout(900)
def test_a_server_killed_during_a_write_is_one_sentence_and_the_rerun_completes(server, tmp_path) -> None:
    """Before: a 179-line RemoteProtocolError (or ConnectError) traceback."""
    settings = _server_settings(server, tmp_path)
    folder = _generated(tmp_path, 4)
    hook = """
        from chromadb.api.models.Collection import Collection
        real = Collection.upsert
        def upsert(self, *args, **kwargs):
            print("WRITING", flush=True)
            wait_for_go()
            return real(self, *args, **kwargs)
        Collection.upsert = upsert
    """
    child = _cli_child(hook, ["ingest", str(folder), "--json"], _fault_env(settings), tmp_path)
    try:
        child.wait_for("WRITING")
        server.kill()
        (tmp_path / "go").touch()
        killed = time.monotonic()
        code = child.finish(timeout=120)
    finally:
        child.kill()
    stopped = time.monotonic() - killed
    assert code == 1 and stopped < STOP_BOUND_S
    message = _one_sentence_naming(child, server, "while the ingest was writing", "run the ingest again")
    assert Index(settings).stats() == {"documents": 0, "chunks": 0}  # nothing half-kept

    server.start()
    report = _rerun_and_check(settings, [folder])
    assert report["added"] == 4 and report["failed"] == []
    print(f"\nFIGURE server killed during a write: {stopped:.1f} s; {message}")


@pytest.mark.timeout(900)
def test_a_server_killed_while_a_question_loads_new_vectors_is_one_sentence_saying_what_was_kept(
    server, tmp_path
) -> None:
    """Before: CLI `ask` printed a 120-line traceback (retrieve._load -> store.vectors), and the
    web said "Something went wrong (ConnectError)" without naming the server."""
    settings = _server_settings(server, tmp_path)
    extra = tmp_path / "extra"
    extra.mkdir()
    paths = [SEED_CORPUS, extra]
    ingest(settings, paths)
    worker = Assistant(settings)  # a long-lived process (a web worker) with generation 1 loaded
    worker.ask(QUESTIONS[0])
    assert worker.retriever.snapshot().generation == 1
    (extra / "kent.txt").write_text(KENT_V2)
    ingest(settings, paths)  # generation 2: its vectors are on the server only
    assert Index(settings).generation() == 2

    hook = """
        from chromadb.api.models.Collection import Collection
        real = Collection.get
        def get(self, *args, **kwargs):  # the first read of the vectors, the client connected
            print("LOADING", flush=True)
            wait_for_go()
            return real(self, *args, **kwargs)
        Collection.get = get
    """
    child = _cli_child(hook, ["ask", QUESTIONS[0]], _fault_env(settings), tmp_path)
    try:
        child.wait_for("LOADING")
        server.kill()
        (tmp_path / "go").touch()
        code = child.finish(timeout=120)
    finally:
        child.kill()
    assert code == 1
    first = _one_sentence_naming(child, server, "to load the index's vectors", "no snapshot", "ask again")

    started = time.monotonic()
    with pytest.raises(IndexUnavailable) as raised:
        worker.ask(QUESTIONS[0])
    assert time.monotonic() - started < UNREACHABLE_BOUND_S
    kept = str(raised.value)
    assert server.address in kept and "the last good snapshot (generation 1, 5 documents) was kept" in kept
    assert "\n" not in kept and kept.endswith("ask again")
    from assistant.web.components import user_error

    assert html.unescape(user_error(raised.value).message) == kept  # the web shows the same sentence

    server.start()
    _rerun_and_check(settings, paths)
    worker.ask(QUESTIONS[0])  # answered again, from the new generation
    assert worker.retriever.snapshot().generation == 2
    hits = worker.retrieve("How many frontline officers has Kent Police trained to recognise stalking?")
    assert hits and hits[0].doc_id.startswith("kent")
    print(f"\nFIGURE server killed during a first load: {first}\nFIGURE and in a worker with a snapshot: {kept}")
