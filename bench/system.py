"""The machine and the processes a run starts: the environment of a child process, a worker
task in a fresh process (`run_task`), the settings a worker answers with, the code's commit,
a description of the machine, and peak memory."""

from __future__ import annotations

import json
import os
import platform
import resource
import subprocess
import sys
from importlib import metadata
from pathlib import Path

from assistant.settings import PROJECT_DIR, Settings
from bench.results import Machine

# the worker entry point: `python -m bench.worker TASK ARGS_JSON` (see bench/worker.py)
WORKER_MODULE = "bench.worker"
VERSIONED = ("torch", "sentence-transformers", "chromadb", "langchain-chroma", "bm25s", "pypdf", "numpy")


def child_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """This process's environment for a child: offline, no telemetry, always embedded Chroma."""
    env = {k: v for k, v in os.environ.items() if k not in ("ASSISTANT_CHROMA_HOST", "ASSISTANT_CHROMA_PORT")}
    env.update(
        HF_HUB_OFFLINE="1",
        TRANSFORMERS_OFFLINE="1",
        ANONYMIZED_TELEMETRY="False",
        TOKENIZERS_PARALLELISM="false",
        PYTHONUNBUFFERED="1",
    )
    env.update(extra or {})
    return env


def run_task(task: str, args: dict, timeout: float | None = None) -> dict:
    """Run a worker in a fresh process; its last stdout line is its JSON result."""
    proc = subprocess.run(
        [sys.executable, "-m", WORKER_MODULE, task, json.dumps(args)],
        cwd=PROJECT_DIR,
        env=child_env(),
        stdout=subprocess.PIPE,
        text=True,
        timeout=timeout,
    )
    lines = proc.stdout.strip().splitlines()
    if proc.returncode != 0 or not lines:
        raise RuntimeError(f"bench worker '{task}' failed (exit {proc.returncode}); its error is above")
    return json.loads(lines[-1])


def worker_settings(args: dict) -> Settings:
    """The parent's settings, pointed at one size's corpus and index, always embedded Chroma."""
    base = json.loads(args["settings"])
    base.update(corpus_dir=args["corpus_dir"], index_dir=args["index_dir"], chroma_host=None)
    return Settings(**base)


def peak_rss_mb() -> float:
    """This process's peak resident set (VmHWM), in MiB."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)  # KiB on Linux


def git_commit() -> str:
    """The short commit of the code, "+dirty" when tracked files changed; "unknown" without git."""
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=PROJECT_DIR, capture_output=True, text=True, timeout=10
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=PROJECT_DIR,
            capture_output=True,
            text=True,
            timeout=10,
        ).stdout.strip()
        return f"{head}{'+dirty' if dirty else ''}" or "unknown"
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def _cpu_and_ram_kb() -> tuple[str, int]:
    cpu, ram_kb = platform.processor() or "unknown", 0
    try:
        cpu = next(
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        )
        ram_kb = int(
            next(
                line.split()[1]
                for line in Path("/proc/meminfo").read_text().splitlines()
                if line.startswith("MemTotal:")
            )
        )
    except (OSError, StopIteration):
        pass
    return cpu, ram_kb


def machine() -> Machine:
    """This machine: CPU, cores available to this process, RAM, OS, versions, load, commit."""
    cpu, ram_kb = _cpu_and_ram_kb()
    versions = {}
    for package in VERSIONED:
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = "absent"
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 0
    return Machine(
        cpu=cpu,
        cores=cores,
        ram_gb=round(ram_kb / 2**20, 1),
        os=f"{platform.system()} {platform.release()}",
        python=platform.python_version(),
        versions=versions,
        load_start=os.getloadavg(),
        commit=git_commit(),
    )
