"""The app's ASGI guards in front of Gradio's routes: a login for every API route, a quota on raw
uploads, and JSON API errors that are the caller's told as such.

Gradio leaves a few routes open without a login (cancelling and resetting events, the heartbeat);
when the app has logins, :class:`LoginRequired` closes all but the one Gradio calls itself. Its raw upload
route stores any file a logged-in user sends; :class:`UploadQuota` caps how many each user sends
an hour. Its direct JSON route (``/gradio_api/run/NAME``) answers every error with HTTP 500 and a
traceback in the log; :class:`ApiErrors` checks the call's inputs against the endpoint's
parameters first and answers a caller's mistake with HTTP 400 and its message, logged in one line.

The guards read Gradio's app object (``scope["app"]``): its logins (``auth``, ``tokens``,
``cookie_id``) and its endpoints (``get_blocks().fns``).
"""

from __future__ import annotations

import inspect
import json
import sys
import time
from collections import deque

from starlette.requests import HTTPConnection
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

API_PREFIX = "/gradio_api/"
# Gradio's launch calls this itself, without a login; it only runs start-up events, once.
_OPEN_ROUTES = (API_PREFIX + "startup-events",)
MAX_UPLOADS_PER_HOUR = 20
MAX_BODY_BYTES = 1024 * 1024
_RUN_ROUTES = ("/gradio_api/run/", "/gradio_api/api/")


def _user(scope: Scope) -> str | None:
    """The logged-in user of a request, from Gradio's login cookie; None without one."""
    app = scope.get("app")
    cookies = HTTPConnection(scope).cookies
    cookie_id = getattr(app, "cookie_id", "")
    token = cookies.get(f"access-token-{cookie_id}") or cookies.get(f"access-token-unsecure-{cookie_id}")
    return getattr(app, "tokens", {}).get(token)


def _logins_required(scope: Scope) -> bool:
    return getattr(scope.get("app"), "auth", None) is not None


class LoginRequired:
    """With logins, every route under ``/gradio_api/`` answers only a logged-in user (HTTP 401)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (scope["type"] in ("http", "websocket") and scope["path"].startswith(API_PREFIX)
                and scope["path"].rstrip("/") not in _OPEN_ROUTES
                and _logins_required(scope) and _user(scope) is None):
            if scope["type"] == "websocket":
                await send({"type": "websocket.close", "code": 1008})
                return
            await JSONResponse({"detail": "Not authenticated: log in first."},
                               status_code=401)(scope, receive, send)
            return
        await self.app(scope, receive, send)


class UploadQuota:
    """At most ``limit`` raw uploads an hour per user (per client address without logins)."""

    def __init__(self, app: ASGIApp, limit: int = MAX_UPLOADS_PER_HOUR, window: float = 3600.0) -> None:
        self.app = app
        self.limit = limit
        self.window = window
        self._uploads: dict[str, deque[float]] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not (scope["type"] == "http" and scope["method"] == "POST"
                and scope["path"].rstrip("/") == API_PREFIX + "upload"):
            await self.app(scope, receive, send)
            return
        client = scope["client"][0] if scope.get("client") else "unknown"
        who = _user(scope) or f"address {client}"
        now = time.monotonic()
        recent = self._uploads.setdefault(who, deque())
        while recent and recent[0] < now - self.window:
            recent.popleft()
        if len(recent) >= self.limit:
            wait = int(recent[0] + self.window - now) + 1
            await JSONResponse({"detail": f"At most {self.limit} files can be uploaded an hour: "
                                          f"try again in {wait // 60 + 1} min."},
                               status_code=429, headers={"Retry-After": str(wait)})(scope, receive, send)
            return
        recent.append(now)
        await self.app(scope, receive, send)


class ApiErrors:
    """A direct JSON call's mistakes get HTTP 400 with the message, not HTTP 500 and a traceback.

    Before the call: its ``data`` must give each parameter of the endpoint that has no default,
    and no more than it has; missing trailing parameters with defaults are filled in. After it:
    an error the endpoint raised for the user (``gr.Error``, whose message Gradio shows) becomes
    HTTP 400. Either is logged in one line.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not (scope["type"] == "http" and scope["method"] == "POST"
                and scope["path"].startswith(_RUN_ROUTES)):
            await self.app(scope, receive, send)
            return
        body = await read_body(receive, MAX_BODY_BYTES)
        name = scope["path"].rstrip("/").rsplit("/", 1)[-1]
        try:
            if len(body) > MAX_BODY_BYTES:
                raise ValueError(f"The call is larger than {MAX_BODY_BYTES // 1024} KB.")
            body = _completed(body, _parameters(scope, name), name)
        except ValueError as error:
            _log(scope, 400, str(error))
            await JSONResponse({"error": str(error)}, status_code=400)(scope, receive, send)
            return
        await self.app(scope, replay(body, receive), _user_errors_as_400(scope, send))


def _parameters(scope: Scope, name: str) -> list[inspect.Parameter] | None:
    """The parameters of the endpoint ``name`` (None when it is not one of Gradio's)."""
    app = scope.get("app")
    try:
        fns = app.get_blocks().fns.values()  # type: ignore[union-attr]
    except AttributeError:
        return None
    for fn in fns:
        if fn.api_name == name and fn.fn is not None:
            parameters = list(inspect.signature(fn.fn).parameters.values())
            return [p for p in parameters if p.annotation not in ("gr.Request", "Request")]
    return None


def _completed(body: bytes, parameters: list[inspect.Parameter] | None, name: str) -> bytes:
    """The body with defaults for missing trailing inputs; ValueError names what is wrong."""
    if parameters is None:
        return body
    try:
        call = json.loads(body)
    except ValueError:
        raise ValueError("The body is not JSON: send {\"data\": [...]}.") from None
    if not isinstance(call, dict) or not isinstance(call.get("data"), list):
        raise ValueError(f"Send {{\"data\": [...]}} with the inputs of /{name}: "
                         f"{', '.join(p.name for p in parameters)}.")
    data = call["data"]
    expected = ", ".join(p.name for p in parameters)
    if len(data) > len(parameters):
        raise ValueError(f"/{name} takes {len(parameters)} inputs ({expected}), not {len(data)}.")
    missing = [p for p in parameters[len(data):] if p.default is inspect.Parameter.empty]
    if missing:
        raise ValueError(f"/{name} needs {', '.join(p.name for p in missing)}: send "
                         f"{{\"data\": [{expected}]}}.")
    call["data"] = data + [p.default for p in parameters[len(data):]]
    return json.dumps(call).encode()


def _user_errors_as_400(scope: Scope, send: Send) -> Send:
    """A ``send`` that turns a 500 carrying a message for the user into a 400."""
    start: list[Message] = []

    async def relay(message: Message) -> None:
        if message["type"] == "http.response.start" and message["status"] == 500:
            start.append(message)
            return
        if start and message["type"] == "http.response.body":
            try:
                error = json.loads(message.get("body", b"")).get("error")
            except (ValueError, AttributeError):
                error = None
            first = dict(start.pop())
            if error:
                first["status"] = 400
                _log(scope, 400, error)
            else:
                _log(scope, 500, "the endpoint failed (see the error above)")
            await send(first)
        await send(message)

    return relay


def _log(scope: Scope, status: int, message: str) -> None:
    print(f"API {scope['path']}: HTTP {status}: {message}", file=sys.stderr, flush=True)


async def read_body(receive: Receive, limit: int) -> bytes:
    """A request's body, read whole, or its first ``limit`` bytes and more when it is longer."""
    body = bytearray()
    while True:
        message = await receive()
        body += message.get("body", b"")
        if not message.get("more_body") or len(body) > limit:
            return bytes(body)


def replay(body: bytes, receive: Receive) -> Receive:
    """A ``receive`` that gives the app the body already read, then the connection's messages."""
    sent = False

    async def replayed() -> Message:
        nonlocal sent
        if sent:
            return await receive()
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return replayed
