"""A local, Alegra-compatible HTTP server: strict where Alegra is strict, with fault switches.

``SandboxServer`` is the entry point; ``faults.py`` documents the fault route names.
"""

from __future__ import annotations

from alegra_sync.sandbox.faults import Faults
from alegra_sync.sandbox.server import SandboxServer
from alegra_sync.sandbox.store import Store

__all__ = ["Faults", "SandboxServer", "Store"]
