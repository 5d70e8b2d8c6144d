"""Serve the chat app: load the index, warm the model, and listen until stopped."""

from __future__ import annotations

import ipaddress
import os
import sys
import time

from workshop_qa.app.answer import Assistant
from workshop_qa.app.settings import Settings
from workshop_qa.app.ui import _CSS, _HEAD, build_app
from workshop_qa.retriever.search import Retriever


def serve(settings: Settings, host: str = "127.0.0.1", port: int = 7860) -> None:
    """Load the index (building it if needed), warm the model, and serve the app until stopped."""
    os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"
    started = time.perf_counter()
    retriever = Retriever.open(settings.index_spec, settings.index_dir, settings.retrieval,
                               notify=lambda line: print(line, file=sys.stderr))
    retriever.search("warm up the embedding model")
    if not settings.auth and not _is_loopback(host):
        print(f"Warning: serving on {host} without --auth: anyone who can reach this address "
              "can use the app.", file=sys.stderr)
    app = build_app(Assistant(retriever, settings))
    app.launch(server_name=host, server_port=port, share=False, auth=list(settings.auth) or None,
               css=_CSS, head=_HEAD, ssr_mode=False, footer_links=["api"], quiet=True,
               prevent_thread_lock=True)
    print(f"Ready in {time.perf_counter() - started:.1f} s: open http://{host}:{port} "
          "in a browser (Ctrl+C stops).", file=sys.stderr, flush=True)
    app.block_thread()


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
