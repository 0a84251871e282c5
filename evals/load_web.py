"""Load test of a running web app (not a test): N concurrent users ask the corpus questions
through the `ask` endpoint; prints latency p50/p95, errors, throughput, and whether any user
received an answer to someone else's question.

    python -m assistant serve &                 # or `make run`
    python -m evals.load_web [--users 20] [--per-user 10] [--think 1-3] [--max-seconds 120] [--processes 2]
    python -m evals.load_web --url http://127.0.0.1:7861/ --url http://127.0.0.1:7862/ ...   # two workers

With `--think 0` (the default) every user asks again the moment an answer arrives: the
server is saturated and latency is users / throughput (Little's law), which measures capacity.
`--think 1-3` pauses each user 1-3 s between questions (locust's `between(1, 3)`), which is
how people use a chat.

Only loopback servers are accepted. Each user sends at most `--per-user` questions, and no
request starts after `--max-seconds`. Exit status 1 when any request failed or was crossed.

Users talk to the server in one of two ways (`--client`):

- `http` (the default): Gradio's HTTP API for the named endpoint, as curl would, with one
  keep-alive connection and one Gradio session per user: `POST /gradio_api/call/ask` returns
  an event id, and `GET /gradio_api/call/ask/{id}` streams the result. A request costs the generator about a
  millisecond of CPU, so on a small machine the figures are the server's.
- `gradio`: `gradio_client.Client(url).predict(question, api_name="/ask")`, as the README
  shows scripts doing. It costs the generator far more CPU per request than the server
  spends (60-80 ms: it polls its job threads every 50 ms), which on two shared cores is most
  of the machine; the users are spread over `--processes` processes.

The report gives the server's own `Assistant.ask` time beside the latency users see.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
import uuid
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

import yaml

LOOPBACK = {"127.0.0.1", "localhost", "::1"}
DEFAULT_QUESTIONS = Path(__file__).with_name("questions.yaml")


@dataclass
class UserResult:
    latencies: list[float] = field(default_factory=list)
    server: list[float] = field(default_factory=list)  # Assistant.ask's own time (timings_ms.total)
    errors: list[str] = field(default_factory=list)
    crossed: list[tuple[str, str]] = field(default_factory=list)  # (asked, answered)


@dataclass
class Plan:
    url: str | list[str]  # several: one worker each, a user always on the same one (sticky sessions)
    questions: list[str]
    per_user: int
    start_at: float  # time.time() when every user starts asking
    max_seconds: float
    auth: tuple[str, str] | None = None
    think: tuple[float, float] = (0.0, 0.0)  # seconds a user pauses between questions (uniform)
    client: str = "http"  # "http" (Gradio's HTTP API) or "gradio" (gradio_client)


def load_questions(path: Path) -> list[str]:
    """Every item's question (for multi-turn items, the first turn: users here ask one-off questions)."""
    items = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    questions = [item.get("question") or (item.get("turns") or [None])[0] for item in items]
    return [q for q in questions if isinstance(q, str) and q.strip()]


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def connect_seconds(users: int) -> float:
    """Time allowed for every user to connect before all start together."""
    return 3 + 0.15 * users


class HttpAsker:
    """One user's keep-alive connection to Gradio's HTTP API for the `ask` endpoint."""

    def __init__(self, url: str, auth: tuple[str, str] | None):
        import httpx

        self.base = url.rstrip("/")
        self.session = httpx.Client(timeout=httpx.Timeout(120.0, connect=10.0))
        # One Gradio session per user, as gradio_client keeps one per Client: without it every
        # call opens a session, and the server builds a session's state (a config of every
        # component of the app, ~15 ms) for each question.
        self.session_hash = uuid.uuid4().hex[:12]
        if auth:
            response = self.session.post(f"{self.base}/login", data={"username": auth[0], "password": auth[1]})
            response.raise_for_status()

    def __call__(self, question: str) -> object:
        # every parameter of `ask` (question, forces, doc_types, since, until, k): the HTTP API
        # fills in no defaults, where gradio_client does
        posted = self.session.post(
            f"{self.base}/gradio_api/call/ask",
            json={"data": [question, *[None] * 5], "session_hash": self.session_hash},
        )
        posted.raise_for_status()
        event_id = posted.json()["event_id"]
        event = ""
        with self.session.stream("GET", f"{self.base}/gradio_api/call/ask/{event_id}") as stream:
            stream.raise_for_status()
            for line in stream.iter_lines():
                if line.startswith("event:"):
                    event = line[len("event:") :].strip()
                elif line.startswith("data:") and event in ("complete", "error"):
                    data = line[len("data:") :].strip()
                    if event == "error":
                        raise RuntimeError(f"the server answered with an error: {data[:200]}")
                    result = json.loads(data)
                    return result[0] if isinstance(result, list) and result else result
        raise RuntimeError(f"the event stream ended without a result (last event {event or 'none'})")


def connect(user: int, plan: Plan):
    """A function that asks one question as this user, over the chosen client, to the user's
    worker (users are spread over the URLs in turn and stay on theirs, as a proxy with sticky
    sessions keeps them)."""
    urls = [plan.url] if isinstance(plan.url, str) else plan.url
    url = urls[user % len(urls)]
    if plan.client == "http":
        return HttpAsker(url, plan.auth)
    from gradio_client import Client

    client = Client(url, verbose=False, auth=plan.auth)
    return lambda question: client.predict(question, api_name="/ask")


def run_user(user: int, plan: Plan) -> UserResult:
    """One user: connect, wait for the common start, ask up to `per_user` questions in turn."""
    result = UserResult()
    try:
        ask = connect(user, plan)
    except Exception as exc:  # the server refused the connection or the login
        result.errors.append(f"connect: {type(exc).__name__}: {exc}")
        return result
    time.sleep(max(0.0, plan.start_at - time.time()))
    deadline = plan.start_at + plan.max_seconds
    pause = random.Random(user).uniform  # seeded: a run is repeatable
    if plan.think[1]:
        time.sleep(pause(0, plan.think[1]))  # users arrive spread out, not all in one instant
    for i in range(plan.per_user):
        if i and plan.think[1]:
            time.sleep(pause(*plan.think))
        if time.time() >= deadline:
            break
        question = plan.questions[(user * 7 + i) % len(plan.questions)]  # users start at different questions
        t0 = time.perf_counter()
        try:
            answer = ask(question)
        except Exception as exc:
            result.errors.append(f"{type(exc).__name__}: {str(exc)[:200]}")
            continue
        result.latencies.append(time.perf_counter() - t0)
        if isinstance(answer, dict):
            result.server.append(float((answer.get("timings_ms") or {}).get("total", "nan")) / 1000)
        asked = " ".join(question.split())
        if not isinstance(answer, dict) or answer.get("question") != asked:
            result.crossed.append((asked, str(answer.get("question") if isinstance(answer, dict) else answer)))
    return result


def run_group(users: list[int], plan: Plan) -> list[UserResult]:
    """Some of the users, as threads of one process."""
    with ThreadPoolExecutor(max_workers=len(users)) as pool:
        return list(pool.map(lambda u: run_user(u, plan), users))


def run(
    url: str | list[str],
    users: int,
    per_user: int,
    max_seconds: float,
    questions: list[str],
    auth: tuple[str, str] | None = None,
    processes: int = 1,
    think: tuple[float, float] = (0.0, 0.0),
    client: str = "http",
) -> dict:
    """Every user connects, then all start together; returns the figures of the run."""
    plan = Plan(
        url=url,
        questions=questions,
        per_user=per_user,
        start_at=time.time() + connect_seconds(users),
        max_seconds=max_seconds,
        auth=auth,
        think=think,
        client=client,
    )
    groups = [list(range(users))[p::processes] for p in range(processes)]
    if processes == 1:
        results = run_group(groups[0], plan)
    else:
        with ProcessPoolExecutor(max_workers=processes) as pool:
            results = [r for part in pool.map(run_group, groups, [plan] * processes) for r in part]
    wall = time.time() - plan.start_at
    latencies = [x for r in results for x in r.latencies]
    server = [x for r in results for x in r.server]
    errors = [e for r in results for e in r.errors]
    crossed = [c for r in results for c in r.crossed]
    return {
        "workers": 1 if isinstance(url, str) else len(url),
        "users": users,
        "processes": processes,
        "client": client,
        "think_s": list(think),
        "requests": len(latencies) + len(errors),
        "ok": len(latencies),
        "errors": len(errors),
        "crossed": len(crossed),
        "p50_s": percentile(latencies, 0.50),
        "p95_s": percentile(latencies, 0.95),
        "max_s": max(latencies, default=float("nan")),
        "mean_s": statistics.fmean(latencies) if latencies else float("nan"),
        "ask_p50_s": percentile(server, 0.50),
        "ask_p95_s": percentile(server, 0.95),
        "throughput_rps": len(latencies) / wall if wall > 0 else 0.0,
        "wall_s": wall,
        "error_samples": errors[:5],
        "crossed_samples": crossed[:5],
    }


def markdown(report: dict) -> str:
    ms = lambda s: f"{s * 1000:.0f} ms"  # noqa: E731
    think = report["think_s"]
    rows = [
        ("users (processes)", f"{report['users']} ({report['processes']})"),
        ("server workers", report.get("workers", 1)),
        ("client", report.get("client", "gradio")),
        ("think time", f"{think[0]:g}-{think[1]:g} s" if think[1] else "none (saturation)"),
        ("requests", report["requests"]),
        ("errors", report["errors"]),
        ("crossed answers", report["crossed"]),
        ("latency p50", ms(report["p50_s"])),
        ("latency p95", ms(report["p95_s"])),
        ("latency max", ms(report["max_s"])),
        ("Assistant.ask p50 / p95 (server side)", f"{ms(report['ask_p50_s'])} / {ms(report['ask_p95_s'])}"),
        ("throughput", f"{report['throughput_rps']:.1f} answers/s"),
        ("wall time", f"{report['wall_s']:.1f} s"),
    ]
    lines = ["| metric | value |", "|---|---|", *[f"| {k} | {v} |" for k, v in rows]]
    for sample in report["error_samples"]:
        lines.append(f"\nerror: {sample}")
    for asked, got in report["crossed_samples"]:
        lines.append(f"\ncrossed: asked {asked!r}, got the answer to {got!r}")
    return "\n".join(lines)


def think_range(text: str) -> tuple[float, float]:
    """'1-3' -> (1.0, 3.0); '2' -> (2.0, 2.0)."""
    try:
        low, _, high = text.partition("-")
        pair = (float(low), float(high or low))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected seconds like 1-3, not {text!r}") from None
    if not 0 <= pair[0] <= pair[1] <= 60:
        raise argparse.ArgumentTypeError("think time must be 0-60 s, low before high")
    return pair


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--url",
        action="append",
        help="a running server on this machine (default http://127.0.0.1:7860/); repeat for several workers",
    )
    parser.add_argument("--users", type=int, default=20, help="concurrent users (default 20)")
    parser.add_argument("--per-user", type=int, default=10, help="questions each user asks (default 10)")
    parser.add_argument(
        "--think",
        type=think_range,
        default=(0.0, 0.0),
        help="seconds each user pauses between questions, e.g. 1-3 (default 0: saturation)",
    )
    parser.add_argument("--max-seconds", type=float, default=120, help="no request starts after this")
    parser.add_argument(
        "--processes",
        type=int,
        default=min(2, os.cpu_count() or 1),
        help="processes the users are spread over (default: 2, or 1 on one CPU)",
    )
    parser.add_argument(
        "--client",
        choices=["http", "gradio"],
        default="http",
        help="http: Gradio's HTTP API (light); gradio: gradio_client (heavy on the generator's CPU)",
    )
    parser.add_argument("--questions", type=Path, default=DEFAULT_QUESTIONS, help="a question set (YAML)")
    parser.add_argument("--auth", help="user:password when the server asks for a login")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    args = parser.parse_args(argv)

    urls = args.url or ["http://127.0.0.1:7860/"]
    for url in urls:
        host = urlparse(url).hostname
        if host not in LOOPBACK:
            parser.error(f"--url must point at this machine (127.0.0.1), not {host!r}")
    if not 1 <= args.users <= 500 or not 1 <= args.per_user <= 1000 or not 0 < args.max_seconds <= 3600:
        parser.error("--users must be 1-500, --per-user 1-1000 and --max-seconds at most 3600")
    if not 1 <= args.processes <= args.users:
        parser.error("--processes must be between 1 and --users")
    questions = load_questions(args.questions)
    if not questions:
        parser.error(f"{args.questions} holds no questions")
    auth = tuple(args.auth.split(":", 1)) if args.auth else None

    report = run(
        urls, args.users, args.per_user, args.max_seconds, questions, auth, args.processes, args.think, args.client
    )
    print(json.dumps(report, indent=2) if args.json else markdown(report))
    return 1 if report["errors"] or report["crossed"] else 0


if __name__ == "__main__":
    sys.exit(main())
