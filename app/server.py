"""Serve the chat app: load the index, warm the model, and listen until stopped.

Requests are answered concurrently (an answer is about 20 ms of CPU, a generated one may wait on
the language model for its whole timeout, so one slow call must not hold the others). Failed
logins are limited per client, and FastAPI's own schema route is off: the app's API description
stays at ``/gradio_api/openapi.json``, behind the login when ``--auth`` is set.
"""

from __future__ import annotations

import ipaddress
import os
import signal
import sys
import tempfile
import time
from pathlib import Path

from starlette.middleware import Middleware

from workshop_qa.app.answer import Assistant
from workshop_qa.app.guards import ApiErrors, LoginRequired, UploadQuota
from workshop_qa.app.login_limit import MAX_FAILURES, FailedLoginLimit, trust_proxies
from workshop_qa.app.settings import Settings
from workshop_qa.app.ui import _CSS, _HEAD, THEME, build_app
from workshop_qa.app.upload import MAX_UPLOAD_BYTES, Library
from workshop_qa.retriever.search import Retriever

CONCURRENT_ANSWERS = 16
QUEUE_STATUS_SECONDS = 10
_AUTH_MESSAGE = (f"After {MAX_FAILURES} failed logins in a minute, logins from the same address "
                 "or for the same user name are refused for a minute.")


def serve(settings: Settings, host: str = "127.0.0.1", port: int = 7860,
          uploads: bool | None = None, started: float | None = None) -> None:
    """Load the index (building it if needed), warm the model, and serve the app until stopped.

    ``uploads`` turns the Upload tab ("Add a report") on or off; by default it is on unless the app listens
    beyond this machine without ``--auth``. ``started`` (a ``time.perf_counter()`` value) is when the
    command started, from which "Ready in" counts.
    """
    os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"
    trust_proxies(settings.trusted_proxies)
    started = time.perf_counter() if started is None else started
    retriever = Retriever.open(settings.index_spec, settings.index_dir, settings.retrieval,
                               notify=lambda line: print(line, file=sys.stderr))
    retriever.search("warm up the embedding model")
    if not settings.auth and not is_loopback(host):
        print(f"Warning: serving on {host} without --auth: anyone who can reach this address "
              "can use the app.", file=sys.stderr)
    assistant = Assistant(retriever, settings)
    library = Library(assistant, settings) if uploads_allowed(uploads, bool(settings.auth), host) else None
    signal.signal(signal.SIGTERM, _interrupt)  # stopped like Ctrl+C, so that its files go
    with (tempfile.TemporaryDirectory(prefix="workshop-qa-exports-") as exports,
          tempfile.TemporaryDirectory(prefix="workshop-qa-uploads-") as upload_dir):
        # Gradio keeps uploads here, so that none outlives the server.
        os.environ["GRADIO_TEMP_DIR"] = upload_dir
        app = build_app(assistant, Path(exports), library)
        # Queue positions are sent every 10 s, not to every waiting client each time an answer
        # finishes: with 64 clients waiting that broadcast cost more than the answers.
        app.queue(default_concurrency_limit=CONCURRENT_ANSWERS, api_open=True,
                  status_update_rate=QUEUE_STATUS_SECONDS)
        app.launch(server_name=host, server_port=port, share=False, auth=list(settings.auth) or None,
                   auth_message=_AUTH_MESSAGE if settings.auth else None,
                   css=_CSS, head=_HEAD, theme=THEME, ssr_mode=False, footer_links=["api"], quiet=True,
                   prevent_thread_lock=True, max_file_size=MAX_UPLOAD_BYTES,
                   app_kwargs={"openapi_url": None, "middleware": [
                       Middleware(guard) for guard in (FailedLoginLimit, LoginRequired, UploadQuota,
                                                       ApiErrors)]})
        print(f"Ready in {time.perf_counter() - started:.1f} s: open http://{host}:{port} "
              "in a browser (Ctrl+C stops).", file=sys.stderr, flush=True)
        app.block_thread()


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def uploads_allowed(choice: bool | None, auth: bool, host: str) -> bool:
    """Whether reports may be added in the app: as chosen, else unless it listens beyond this
    machine without a login."""
    return choice if choice is not None else auth or is_loopback(host)


def is_loopback(host: str) -> bool:
    """Whether ``host`` (a name or an address) is this machine's loopback interface."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
