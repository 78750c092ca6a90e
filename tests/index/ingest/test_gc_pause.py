"""`ingest._gc_paused`: the cyclic collector off inside, its previous state back after, even on error."""
from __future__ import annotations

import gc

import pytest

from quydinh_bot.index.ingest import _gc_paused


def test_collector_off_inside_and_back_on_after_an_error():
    assert gc.isenabled()
    with pytest.raises(RuntimeError), _gc_paused():
        assert not gc.isenabled()
        raise RuntimeError("a bad file")
    assert gc.isenabled()


def test_a_collector_already_off_stays_off():
    gc.disable()
    try:
        with _gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()
