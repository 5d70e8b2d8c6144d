"""Refuse logins after too many failures: password guessing gets a few tries a minute.

An ASGI middleware in front of the app's ``/login`` route: it counts the failed logins (HTTP 400)
of each client address and of each user name tried and, after ``max_failures`` within ``window``
seconds, answers HTTP 429 with a sentence saying when to try again, for ``lockout`` seconds. A
successful login clears the counts of its address and its user name.

The client address is the connection's own: a forwarded header (``X-Forwarded-For``) is believed
only from the proxies the operator names (:func:`trust_proxies`), so a client cannot pose as many.
"""

from __future__ import annotations

import math
import os
import time
from collections import deque
from urllib.parse import parse_qs

from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from workshop_qa.app.guards import read_body, replay

MAX_FAILURES = 5
WINDOW_SECONDS = 60.0
LOCKOUT_SECONDS = 60.0
MAX_FORM_BYTES = 64 * 1024
# Uvicorn believes forwarded headers from the addresses named here; this one matches no client.
_NO_PROXY = "0.0.0.0/32"


def trust_proxies(proxies: tuple[str, ...]) -> None:
    """Believe ``X-Forwarded-For`` only from ``proxies`` (addresses or networks); none by default.

    Uvicorn, which serves the app, reads this setting when the server starts; by default it would
    believe any request from this machine, which lets a local client name any address it likes."""
    os.environ["FORWARDED_ALLOW_IPS"] = ",".join(proxies) or _NO_PROXY


class FailedLoginLimit:
    """ASGI middleware limiting failed logins per client address and per user name."""

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
        body = (await read_body(receive, MAX_FORM_BYTES))[:MAX_FORM_BYTES]
        client = "address " + (scope["client"][0] if scope.get("client") else "unknown")
        user = "user " + _user_name(body)
        now = time.monotonic()
        self._forget_expired(now)
        wait = max(self._blocked_until.get(key, 0.0) for key in (client, user)) - now
        if wait > 0:
            seconds = math.ceil(wait)
            refusal = JSONResponse(
                {"detail": f"Too many failed logins: try again in {seconds} s."},
                status_code=429, headers={"Retry-After": str(seconds)})
            await refusal(scope, receive, send)
            return
        status: list[int] = []

        async def watch(message: Message) -> None:
            if message["type"] == "http.response.start":
                status.append(message["status"])
            await send(message)

        await self.app(scope, replay(body, receive), watch)
        for key in (client, user):
            self._record(key, status[0] if status else 0, now)

    def _record(self, key: str, status: int, now: float) -> None:
        if status == 200:
            self._failures.pop(key, None)
        elif status in (400, 401):
            failures = self._failures.setdefault(key, deque())
            failures.append(now)
            if len(failures) >= self.max_failures:
                self._blocked_until[key] = now + self.lockout
                del self._failures[key]

    def _forget_expired(self, now: float) -> None:
        for key, failures in list(self._failures.items()):
            while failures and failures[0] < now - self.window:
                failures.popleft()
            if not failures:
                del self._failures[key]
        for key, until in list(self._blocked_until.items()):
            if until <= now:
                del self._blocked_until[key]


def _user_name(body: bytes) -> str:
    """The user name of a login form, as the login route reads it (trimmed)."""
    names = parse_qs(body.decode("utf-8", "replace")).get("username", [""])
    return names[0].strip()


def _is_login(scope: Scope) -> bool:
    return (scope["type"] == "http" and scope["method"] == "POST"
            and scope["path"].rstrip("/").endswith("/login"))
