"""The collector pause around bulk reading and planning always restores the collector."""

from __future__ import annotations

import gc

import pytest

from alegra_sync._gc import collector_paused


def test_collector_paused_restores_the_collector_even_on_errors() -> None:
    assert gc.isenabled()
    with pytest.raises(ValueError), collector_paused():
        assert not gc.isenabled()
        raise ValueError
    assert gc.isenabled()
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()  # it was off: it stays off
    finally:
        gc.enable()
