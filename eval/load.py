"""Load the chat server's ``/ask`` API with many sessions at once (a script, not a test).

Starts the chat server on a free loopback port (or targets ``--url``, which must be on loopback),
asks the questions once with one client alone, then runs every session at once, each asking its
questions one after the other. Calls go to the direct JSON route ``/gradio_api/run/ask``, or with
``--protocol queue`` through Gradio's queue (post the call, read its event stream) as
``gradio_client`` does. It prints throughput against the lone client and p50/p95 latency,
and exits non-zero on any error or any answer that differs from the lone client's. Bounded in
sessions, questions and time.

    python -m workshop_qa.eval.load [--sessions 64] [--questions 20] [--protocol run|queue]
                                    [--url http://127.0.0.1:7860/]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from urllib.parse import urlsplit

import httpx

from workshop_qa.app.server import is_loopback
from workshop_qa.eval.data import Query, load_queries
from workshop_qa.eval.server import running_app

MAX_SESSIONS = 256
MAX_QUESTIONS = 100
REQUEST_TIMEOUT = 60.0
TARGET_SPEEDUP = 1.5


class Failure(RuntimeError):
    """A request that got no answer, with the reason."""


def main() -> int:
    """Run the load test and print its figures; 1 when an answer failed or differed."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--url", help="a running server on loopback (default: start one)")
    parser.add_argument("--sessions", type=int, default=64, help=f"at most {MAX_SESSIONS}")
    parser.add_argument("--questions", type=int, default=20, help=f"per session, at most {MAX_QUESTIONS}")
    parser.add_argument("--protocol", choices=("run", "queue"), default="run",
                        help="the direct JSON route, or Gradio's queue (default: run)")
    parser.add_argument("--time-limit", type=float, default=600.0, help="seconds for the whole run")
    args = parser.parse_args()
    sessions = max(1, min(args.sessions, MAX_SESSIONS))
    count = max(1, min(args.questions, MAX_QUESTIONS))
    if args.url and not is_loopback(urlsplit(args.url).hostname or ""):
        parser.error(f"'{args.url}' is not on loopback: this script only loads this machine.")
    questions = _questions(count)
    with contextlib.ExitStack() as stack:
        url = args.url
        if url is None:  # start one, logging to a folder removed with it
            log = Path(stack.enter_context(tempfile.TemporaryDirectory())) / "app.log"
            url = stack.enter_context(running_app(dict(os.environ), log=log))
        try:
            return asyncio.run(asyncio.wait_for(_measure(url, questions, sessions, _ASK[args.protocol]),
                                               args.time_limit))
        except TimeoutError:
            print(f"Stopped after the time limit of {args.time_limit:g} s.", file=sys.stderr)
            return 1


async def _measure(url: str, questions: list[Query], sessions: int, ask: Ask) -> int:
    limits = httpx.Limits(max_connections=2 * sessions, max_keepalive_connections=2 * sessions)
    async with httpx.AsyncClient(base_url=url, timeout=REQUEST_TIMEOUT, limits=limits) as client:
        await ask(client, questions[0])  # warm up
        started = time.perf_counter()
        alone = [await _timed(ask, client, q) for q in questions]
        alone_seconds = time.perf_counter() - started
        failed = [r for r in alone if isinstance(r[1], Failure)]
        if failed:
            print(f"The lone client failed: {failed[0][1]}", file=sys.stderr)
            return 1
        reference = {q.text: answer for q, (_, answer) in zip(questions, alone, strict=True)}

        async def session(offset: int) -> list[tuple[Query, float, dict | Failure]]:
            turn = questions[offset % len(questions):] + questions[:offset % len(questions)]
            return [(q, *await _timed(ask, client, q)) for q in turn]

        started = time.perf_counter()
        runs = await asyncio.gather(*(session(s) for s in range(sessions)))
        together_seconds = time.perf_counter() - started
    results = [r for run in runs for r in run]
    errors = [a for _, _, a in results if isinstance(a, Failure)]
    differing = [q.text for q, _, a in results if not isinstance(a, Failure) and a != reference[q.text]]
    alone_rate = len(alone) / alone_seconds
    together_rate = len(results) / together_seconds
    print(f"one client alone: {len(alone)} requests in {alone_seconds:.1f} s, "
          f"{alone_rate:.1f} req/s, {_percentiles([t for t, _ in alone])}")
    print(f"{sessions} sessions x {len(questions)} questions: {len(results)} requests in "
          f"{together_seconds:.1f} s, {together_rate:.1f} req/s, "
          f"{_percentiles([t for _, t, _ in results])}")
    speedup = together_rate / alone_rate
    print(f"throughput {speedup:.2f}x one client alone (target >= {TARGET_SPEEDUP}x: "
          f"{'met' if speedup >= TARGET_SPEEDUP else 'not met'}); errors: {len(errors)}; "
          f"answers differing from the lone client's: {len(differing)}")
    for error in errors[:3]:
        print(f"  error: {error}")
    for text in differing[:3]:
        print(f"  differs: {text}")
    return 1 if errors or differing else 0


async def _timed(ask: Ask, client: httpx.AsyncClient, query: Query) -> tuple[float, dict | Failure]:
    started = time.perf_counter()
    try:
        answer: dict | Failure = await ask(client, query)
    except Failure as failure:
        answer = failure
    return time.perf_counter() - started, answer


async def _ask_direct(client: httpx.AsyncClient, query: Query) -> dict:
    """One answer from the direct JSON route."""
    try:
        response = await client.post("gradio_api/run/ask",
                                     json={"data": [query.text, list(query.history)]})
        body = response.json()
        if response.is_error or "data" not in body:
            raise Failure(f"{query.text!r}: HTTP {response.status_code}: {body}")
        return body["data"][0]
    except (httpx.HTTPError, ValueError) as error:
        raise Failure(f"{query.text!r}: {type(error).__name__}: {error}") from None


async def _ask_queued(client: httpx.AsyncClient, query: Query) -> dict:
    """One answer through Gradio's queue: post the call, then read its event stream."""
    try:
        posted = await client.post("gradio_api/call/ask",
                                   json={"data": [query.text, list(query.history)]})
        posted.raise_for_status()
        event = None
        async with client.stream("GET", f"gradio_api/call/ask/{posted.json()['event_id']}") as stream:
            async for line in stream.aiter_lines():
                if line.startswith("event: "):
                    event = line.removeprefix("event: ")
                elif line.startswith("data: ") and event in ("complete", "error"):
                    data = json.loads(line.removeprefix("data: "))
                    if event == "error":
                        raise Failure(f"{query.text!r}: {data}")
                    return data[0]
    except (httpx.HTTPError, ValueError, KeyError) as error:
        raise Failure(f"{query.text!r}: {type(error).__name__}: {error}") from None
    raise Failure(f"{query.text!r}: the stream ended without an answer")


Ask = Callable[[httpx.AsyncClient, Query], Awaitable[dict]]
_ASK: dict[str, Ask] = {"run": _ask_direct, "queue": _ask_queued}


def _questions(count: int) -> list[Query]:
    """``count`` evaluation questions, answerable and not, follow-ups included, spread evenly."""
    queries = load_queries()
    step = max(1, len(queries) // count)
    return queries[::step][:count]


def _percentiles(seconds: list[float]) -> str:
    cuts = statistics.quantiles(seconds, n=20) if len(seconds) > 1 else seconds * 19
    return f"p50 {cuts[9] * 1000:.0f} ms, p95 {cuts[18] * 1000:.0f} ms"


if __name__ == "__main__":
    sys.exit(main())
