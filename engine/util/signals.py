"""Holding SIGINT and SIGTERM back while something must not be cut short.

A handler that raises (Ctrl-C ending the command) must not raise inside
durable_rules, which catches every exception, Ctrl-C's included, and goes on;
nor halfway through writing a line of output. Held back, the signal waits
until the block is done, and its handler runs then.
"""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager

HELD = frozenset({signal.SIGINT, signal.SIGTERM})
_CAN_HOLD = hasattr(signal, "pthread_sigmask")


@contextmanager
def held_signals() -> Iterator[None]:
    """SIGINT and SIGTERM wait until the block is done (in this thread; handlers run in the main one)."""
    if not _CAN_HOLD:  # pragma: no cover - not POSIX
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, HELD)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def signal_pending() -> bool:
    """Whether SIGINT or SIGTERM is waiting, held back (see `held_signals`)."""
    return _CAN_HOLD and bool(signal.sigpending() & HELD)
