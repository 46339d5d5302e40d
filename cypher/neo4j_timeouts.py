"""How long a command waits for a silent Neo4j server, and the clear error when it gives up.

The official driver has no client-side read timeout: once connected, a server that stops
answering (frozen with SIGSTOP, a half-dead machine, a silent firewall) keeps a query or a
load waiting forever, and even connecting takes about a minute though ``connection_timeout``
says 10 s. :func:`server_watch` bounds every call of the Neo4j backend: when the server has
not answered for ``seconds``, the call ends with :class:`Neo4jTimeoutError`. A load resets
the watch at every batch the server confirms, so only silence counts, not a long load.

The limit is ``NEO4J_READ_TIMEOUT`` seconds (default :data:`DEFAULT_READ_TIMEOUT`; ``0``
means no limit). ``NEO4J_TRANSACTION_TIMEOUT`` (seconds, default none) also asks the server
to end an ad-hoc statement that runs longer, with the server's own error.

The watch uses ``SIGALRM``, so it works in the main thread (every command); called from
another thread the calls are not bounded on the client.

>>> read_timeout_from_env({"NEO4J_READ_TIMEOUT": "2.5"})
2.5
>>> read_timeout_from_env({"NEO4J_READ_TIMEOUT": "0"}) is None
True
"""

from __future__ import annotations

import math
import os
import signal
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from types import FrameType

from biocluster_kg.kernel.errors import BackendError, Neo4jTimeoutError

__all__ = [
    "DEFAULT_READ_TIMEOUT",
    "read_timeout_from_env",
    "server_watch",
    "transaction_timeout_from_env",
]

DEFAULT_READ_TIMEOUT = 300.0
"""Seconds a command waits for any answer from the server before giving up."""

READ_TIMEOUT_VARIABLE = "NEO4J_READ_TIMEOUT"
TRANSACTION_TIMEOUT_VARIABLE = "NEO4J_TRANSACTION_TIMEOUT"


class _ServerSilent(BaseException):
    """Raised by the alarm inside the driver; a BaseException so no driver code swallows it."""


def _seconds(environ: Mapping[str, str], name: str, default: float | None) -> float | None:
    text = environ.get(name, "").strip()
    if not text:
        return default
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or value < 0:
        raise BackendError(f"{name} must be a number of seconds (0 for no limit), not {text!r}")
    return value or None


def read_timeout_from_env(environ: Mapping[str, str] | None = None) -> float | None:
    """``NEO4J_READ_TIMEOUT`` in seconds (None: no limit)."""
    environ = os.environ if environ is None else environ
    return _seconds(environ, READ_TIMEOUT_VARIABLE, DEFAULT_READ_TIMEOUT)


def transaction_timeout_from_env(environ: Mapping[str, str] | None = None) -> float | None:
    """``NEO4J_TRANSACTION_TIMEOUT`` in seconds (None: the server's own limit)."""
    environ = os.environ if environ is None else environ
    return _seconds(environ, TRANSACTION_TIMEOUT_VARIABLE, None)


@contextmanager
def server_watch(seconds: float | None, where: str) -> Iterator[Callable[[], None]]:
    """Bound the calls inside to ``seconds`` of server silence; yields a function that
    restarts the count (call it whenever the server has answered)."""
    if (
        seconds is None
        or threading.current_thread() is not threading.main_thread()
        or signal.getitimer(signal.ITIMER_REAL)[0] > 0  # an outer watch is already counting
    ):
        yield lambda: None
        return

    def restart() -> None:
        signal.setitimer(signal.ITIMER_REAL, seconds)

    def expired(signum: int, frame: FrameType | None) -> None:
        # Armed again: clean-up on the way out (a restore, closing sessions) that waits on
        # the same silent server is cut short too.
        restart()
        raise _ServerSilent

    previous = signal.signal(signal.SIGALRM, expired)
    restart()
    try:
        yield restart
    except _ServerSilent:
        raise Neo4jTimeoutError(
            f"Neo4j at {where} did not answer for {seconds:g} s (a frozen or overloaded "
            f"server?); gave up. Set {READ_TIMEOUT_VARIABLE} (seconds, 0 for no limit) to "
            "wait longer"
        ) from None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
