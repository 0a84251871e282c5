"""A child process for fault tests: its stdout lines are read by a thread, so a test waits
for a marker the child prints (at the point a hook stopped it) with a bound, then kills it."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from assistant.settings import PROJECT_DIR

MARKER_TIMEOUT_S = 240  # a child loads the embedding model on a loaded 2-core machine


class Child:
    """A child process whose stdout lines are read by a thread, so waits are bounded."""

    def __init__(self, args: list[str], tmp_path: Path, env: dict[str, str] | None = None):
        self.stderr_path = tmp_path / f"child-{time.monotonic_ns()}.err"
        with open(self.stderr_path, "w") as err:
            self.proc = subprocess.Popen(
                args,
                cwd=PROJECT_DIR,
                stdout=subprocess.PIPE,
                stderr=err,
                text=True,
                env=env or {**os.environ, "TOKENIZERS_PARALLELISM": "false"},
            )
        self.lines: queue.Queue[str | None] = queue.Queue()
        self.output: list[str] = []
        threading.Thread(target=self._pump, daemon=True).start()

    @classmethod
    def python(cls, code: str, tmp_path: Path, env: dict[str, str] | None = None) -> Child:
        return cls([sys.executable, "-c", code], tmp_path, env)

    def _pump(self) -> None:
        for line in self.proc.stdout:
            self.lines.put(line)
        self.lines.put(None)

    def wait_for(self, marker: str, timeout: float = MARKER_TIMEOUT_S) -> str:
        """The first line holding `marker`; fails when the child exits or `timeout` passes first."""
        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            try:
                line = self.lines.get(timeout=left)
            except queue.Empty:
                break
            if line is None:
                self.proc.wait()
                pytest.fail(f"child exited ({self.proc.returncode}) before printing {marker!r}:\n{self.stderr()}")
            self.output.append(line)
            if marker in line:
                return line
        self.kill()
        pytest.fail(f"child did not print {marker!r} within {timeout:g} s:\n{self.stderr()}")

    def finish(self, timeout: float = MARKER_TIMEOUT_S) -> int:
        """Exit status, once the child has ended on its own (bounded)."""
        try:
            code = self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            pytest.fail(f"child did not finish within {timeout:g} s:\n{self.stderr()}")
        while (line := self.lines.get(timeout=10)) is not None:
            self.output.append(line)
        return code

    def stderr(self) -> str:
        return self.stderr_path.read_text(errors="replace")[-3000:]

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()
