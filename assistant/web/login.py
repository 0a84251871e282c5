"""Backoff for the built-in login: after FREE_FAILURES failed sign-ins from one client within
WINDOW_S seconds, that client's next attempts are refused (HTTP 429, with Retry-After) for a
delay that doubles with each further failure (1 s, 2 s, 4 s, … up to MAX_DELAY_S). A
successful sign-in clears the client's record. Every refusal and every start of a backoff is
logged with the client's address.

An ASGI middleware on the Gradio app (`launch` passes it through `app_kwargs`): Gradio's own
`/login` route checks the password; this only counts its answers. The client is the TCP peer
(`request.client.host`); behind a reverse proxy every user is the proxy's address, so there
the proxy should authenticate (README: "Signing in").
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field

log = logging.getLogger(__name__)

FREE_FAILURES = 5
WINDOW_S = 60.0
BASE_DELAY_S = 1.0
MAX_DELAY_S = 900.0
MAX_CLIENTS = 10_000  # records kept (the oldest are dropped first)


@dataclass
class _Client:
    failures: list[float] = field(default_factory=list)  # times of recent failed attempts
    blocked_until: float = 0.0


class LoginThrottle:
    """Counts failed sign-ins per client and says how long a client must wait."""

    def __init__(self, clock=time.monotonic):
        self.clock = clock
        self._clients: OrderedDict[str, _Client] = OrderedDict()
        self._lock = threading.Lock()

    def wait_s(self, client: str) -> float:
        """Seconds until `client` may try again (0: now)."""
        with self._lock:
            record = self._clients.get(client)
            return max(0.0, record.blocked_until - self.clock()) if record else 0.0

    def failed(self, client: str) -> float:
        """Record a failed attempt; returns the backoff it starts (0: none yet)."""
        now = self.clock()
        with self._lock:
            record = self._clients.pop(client, None) or _Client()
            self._clients[client] = record  # most recent last
            while len(self._clients) > MAX_CLIENTS:
                self._clients.popitem(last=False)
            # failures count while they keep coming: a client in backoff keeps its count
            horizon = WINDOW_S if record.blocked_until <= now - WINDOW_S else math.inf
            record.failures = [t for t in record.failures if now - t <= horizon] + [now]
            excess = len(record.failures) - FREE_FAILURES
            if excess < 0:
                return 0.0
            delay = min(MAX_DELAY_S, BASE_DELAY_S * 2**excess)
            record.blocked_until = now + delay
        log.warning(
            "login: %d failed sign-ins from %s; next attempt refused for %.0f s", len(record.failures), client, delay
        )
        return delay

    def succeeded(self, client: str) -> None:
        with self._lock:
            self._clients.pop(client, None)


class LoginBackoff:
    """ASGI middleware: refuses POST /login from a client in backoff, and tells the throttle
    how each sign-in went (Gradio answers 200 for a success, 400 for wrong credentials)."""

    def __init__(self, app, throttle: LoginThrottle | None = None):
        self.app = app
        self.throttle = throttle or LoginThrottle()

    async def __call__(self, scope, receive, send):
        path = scope.get("path", "") if scope.get("type") == "http" else ""
        if scope.get("method") != "POST" or not path.rstrip("/").endswith("/login"):
            await self.app(scope, receive, send)
            return
        client = (scope.get("client") or ("unknown", 0))[0]
        wait = self.throttle.wait_s(client)
        if wait > 0:
            log.warning("login: attempt from %s refused (backoff, %.0f s left)", client, wait)
            await _refuse(send, wait)
            return
        status: dict[str, int] = {}

        async def watch(message):
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
            await send(message)

        await self.app(scope, receive, watch)
        code = status.get("code", 0)
        if code == 200:
            self.throttle.succeeded(client)
        elif code in (400, 401, 403):
            self.throttle.failed(client)


async def _refuse(send, wait: float) -> None:
    seconds = max(1, math.ceil(wait))
    body = f'{{"detail": "Too many failed sign-ins from this address: try again in {seconds} s."}}'.encode()
    await send(
        {
            "type": "http.response.start",
            "status": 429,
            "headers": [
                (b"content-type", b"application/json"),
                (b"retry-after", str(seconds).encode()),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
