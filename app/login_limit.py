"""Refuse logins from a client after too many failures: password guessing gets a few tries a minute.

An ASGI middleware in front of the app's ``/login`` route: it counts the failed logins (HTTP 400)
of each client address and, after ``max_failures`` within ``window`` seconds, answers HTTP 429 with
a sentence saying when to try again, for ``lockout`` seconds. A successful login clears the count.
"""

from __future__ import annotations

import math
import time
from collections import deque

from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

MAX_FAILURES = 5
WINDOW_SECONDS = 60.0
LOCKOUT_SECONDS = 60.0


class FailedLoginLimit:
    """ASGI middleware limiting failed logins per client address."""

    def __init__(self, app: ASGIApp, max_failures: int = MAX_FAILURES,
                 window: float = WINDOW_SECONDS, lockout: float = LOCKOUT_SECONDS) -> None:
        self.app = app
        self.max_failures = max_failures
        self.window = window
        self.lockout = lockout
        self._failures: dict[str, deque[float]] = {}
        self._blocked_until: dict[str, float] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not _is_login(scope):
            await self.app(scope, receive, send)
            return
        client = scope["client"][0] if scope.get("client") else "unknown"
        now = time.monotonic()
        wait = self._blocked_until.get(client, 0.0) - now
        if wait > 0:
            seconds = math.ceil(wait)
            refusal = JSONResponse(
                {"detail": f"Too many failed logins from this address: try again in {seconds} s."},
                status_code=429, headers={"Retry-After": str(seconds)})
            await refusal(scope, receive, send)
            return
        status: list[int] = []

        async def watch(message: Message) -> None:
            if message["type"] == "http.response.start":
                status.append(message["status"])
            await send(message)

        await self.app(scope, receive, watch)
        self._record(client, status[0] if status else 0, now)

    def _record(self, client: str, status: int, now: float) -> None:
        self._forget_expired(now)
        if status == 200:
            self._failures.pop(client, None)
        elif status in (400, 401):
            failures = self._failures.setdefault(client, deque())
            failures.append(now)
            if len(failures) >= self.max_failures:
                self._blocked_until[client] = now + self.lockout
                del self._failures[client]

    def _forget_expired(self, now: float) -> None:
        for client, failures in list(self._failures.items()):
            while failures and failures[0] < now - self.window:
                failures.popleft()
            if not failures:
                del self._failures[client]
        for client, until in list(self._blocked_until.items()):
            if until <= now:
                del self._blocked_until[client]


def _is_login(scope: Scope) -> bool:
    return (scope["type"] == "http" and scope["method"] == "POST"
            and scope["path"].rstrip("/").endswith("/login"))
