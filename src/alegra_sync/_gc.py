"""Pausing Python's cycle collector while a 10,000-employee export is read and planned.

Reading and planning allocate rows, Employees, amount dicts and journal lines and free none of
them until the end; none forms a reference cycle. With the cyclic collector on, every few
hundred allocations start a collection, and the full ones walk every object allocated so far:
on a 10,000-employee export, about a third of the time. Reference counting still frees
everything as usual; the collector is switched back on (if it was on) however the work ends.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
