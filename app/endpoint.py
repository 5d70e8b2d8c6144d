"""One call to an OpenAI-compatible ``/chat/completions`` endpoint, bounded in time and size.

The deadline covers the whole call, not each read: an endpoint that drips a byte at a time
cannot hold a request past it. The reply is read in a worker thread that stops at the deadline
or at the size cap, whichever comes first; the caller never waits longer than the timeout.
"""

from __future__ import annotations

import json
import queue
import threading
import time

import httpx

MAX_REPLY_BYTES = 256 * 1024


class EndpointError(RuntimeError):
    """The endpoint gave no usable reply; the message says why, for a person."""


def complete(url: str, body: dict, api_key: str | None, timeout: float,
             max_bytes: int = MAX_REPLY_BYTES) -> str:
    """The reply text of a chat completion, within ``timeout`` seconds and ``max_bytes``."""
    url = url.rstrip("/")
    url = url if url.endswith("/chat/completions") else f"{url}/chat/completions"
    headers = {"Accept-Encoding": "identity"}
    if api_key:
        headers["Authorization"] = f"Bearer {api_key}"
    deadline = time.monotonic() + timeout
    outcome: queue.Queue[str | EndpointError] = queue.Queue(maxsize=1)

    def work() -> None:
        try:
            outcome.put(_read_reply(url, headers, body, deadline, timeout, max_bytes))
        except EndpointError as error:
            outcome.put(error)

    threading.Thread(target=work, name="llm-call", daemon=True).start()
    try:
        result = outcome.get(timeout=timeout)
    except queue.Empty:
        raise EndpointError(_late(timeout)) from None
    if isinstance(result, EndpointError):
        raise result
    return result


def _read_reply(url: str, headers: dict, body: dict, deadline: float, timeout: float,
                max_bytes: int) -> str:
    raw = bytearray()
    try:
        with httpx.Client(timeout=timeout) as client, client.stream(
                "POST", url, headers=headers, json=body) as response:
            if response.is_error:
                raise EndpointError(f"the endpoint answered HTTP {response.status_code}")
            declared = response.headers.get("Content-Length", "")
            if declared.isdigit() and int(declared) > max_bytes:
                raise EndpointError(_too_large(max_bytes))
            for chunk in response.iter_bytes():
                raw += chunk
                if len(raw) > max_bytes:
                    raise EndpointError(_too_large(max_bytes))
                if time.monotonic() > deadline:
                    raise EndpointError(_late(timeout))
    except httpx.TimeoutException:
        raise EndpointError(_late(timeout)) from None
    except (httpx.HTTPError, httpx.InvalidURL) as error:
        raise EndpointError(f"could not reach {url}: {error}") from None
    return _content(bytes(raw))


def _content(raw: bytes) -> str:
    try:
        content = json.loads(raw)["choices"][0]["message"]["content"]
    except (ValueError, KeyError, IndexError, TypeError):
        raise EndpointError("the reply was not a chat completion") from None
    if not isinstance(content, str) or not content.strip():
        raise EndpointError("the reply was empty")
    return content.strip()


def _late(timeout: float) -> str:
    return f"no reply within {timeout:g} s"


def _too_large(max_bytes: int) -> str:
    return f"the reply was larger than {max_bytes // 1024} KB"
