"""Start the real chat app in a subprocess on a free loopback port: for the load script, and for
the API and browser tests."""

from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def running_app(env: dict[str, str], *args: str, log: Path) -> Iterator[str]:
    """Run ``workshop-qa chat ARGS`` with ``env`` until the block ends, its output in ``log``; yields
    its URL. Raises ``RuntimeError`` with the log when it exits or is not up within 180 s."""
    port = free_port()
    with log.open("w") as output:
        command = [sys.executable, "-m", "workshop_qa.app.cli", "chat", "--port", str(port), *args]
        process = subprocess.Popen(command, env=env, stdout=output, stderr=subprocess.STDOUT)
        url = f"http://127.0.0.1:{port}/"
        try:
            deadline = time.monotonic() + 180
            while True:
                if process.poll() is not None:
                    raise RuntimeError(f"the app exited: {log.read_text()}")
                try:
                    urllib.request.urlopen(url, timeout=2)
                    break
                except urllib.error.HTTPError:
                    break  # answering, if only to refuse
                except OSError:
                    if time.monotonic() > deadline:
                        raise RuntimeError(f"the app did not start: {log.read_text()}") from None
                    time.sleep(0.5)
            yield url
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
