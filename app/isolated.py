"""Run one function in a child process with a time limit and a memory limit.

Work on a file a user sent (reading an upload, indexing it) runs here, never in the server
process: a file that takes too long or too much memory costs its own child, which is stopped,
while the server goes on answering. The child is a fresh interpreter running this module, so it
holds only what the function imports; the call and its outcome travel as pickles over its
standard input and output.
"""

from __future__ import annotations

import pickle
import resource
import subprocess
import sys
from collections.abc import Callable
from typing import TypeVar

Result = TypeVar("Result")


class IsolatedError(RuntimeError):
    """The child was stopped at a limit or died; the message says which, for a person."""


def run_isolated(function: Callable[..., Result], *args: object, seconds: float,
                 memory_bytes: int | None = None) -> Result:
    """``function(*args)`` computed in a child process, within ``seconds`` and, if given, an
    address space of ``memory_bytes``.

    ``function`` must be importable by name. An exception it raises is raised here again; a child
    that runs out of time or memory, or dies, raises :class:`IsolatedError`.
    """
    call = pickle.dumps((function, args, memory_bytes))
    child = subprocess.Popen([sys.executable, "-m", "workshop_qa.app.isolated"],
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    try:
        output, _ = child.communicate(call, timeout=seconds)
    except subprocess.TimeoutExpired:
        child.kill()
        child.communicate()
        raise IsolatedError(f"it took longer than {seconds:g} s") from None
    try:
        failed, value = pickle.loads(output)
    except (pickle.UnpicklingError, EOFError, ValueError):
        raise IsolatedError(_memory(memory_bytes) if memory_bytes and child.returncode
                            else f"it stopped unexpectedly (exit code {child.returncode})") from None
    if failed:
        raise value
    return value


def _memory(memory_bytes: int | None) -> str:
    return f"it needed more than {(memory_bytes or 0) / 2**30:.1f} GB of memory"


def _serve_one_call() -> None:
    """The child's side: read the call, set the memory limit, run it, write the outcome."""
    function, args, memory_bytes = pickle.load(sys.stdin.buffer)
    if memory_bytes:
        resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    try:
        outcome = (False, function(*args))
    except MemoryError:
        outcome = (True, IsolatedError(_memory(memory_bytes)))
    except Exception as error:  # every failure goes back to the parent, which decides
        outcome = (True, error)
    try:
        reply = pickle.dumps(outcome)
    except (pickle.PicklingError, TypeError, AttributeError):  # an error of a library's own kind
        reply = pickle.dumps((True, IsolatedError(f"{type(outcome[1]).__name__}: {outcome[1]}")))
    sys.stdout.buffer.write(reply)
    sys.stdout.buffer.flush()


if __name__ == "__main__":
    # Run as the importable module, so that its errors pickle under their own module's name.
    from workshop_qa.app.isolated import _serve_one_call as serve_one_call

    serve_one_call()
