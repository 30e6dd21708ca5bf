"""Saved REPL threads keep their typed state across the move of the schemas from graph/ to core/."""

from __future__ import annotations

from biopipelines.core.schemas import RouteEntry
from biopipelines.graph.checkpoints import state_serializer


def test_a_value_saved_under_the_old_module_loads_as_the_same_type(monkeypatch):
    serde = state_serializer()
    entry = RouteEntry(node="intent", tier="offline", model="offline", latency_ms=1.0, turn=1)
    monkeypatch.setattr(RouteEntry, "__module__", "biopipelines.graph.schemas")  # as an earlier version wrote it
    saved = serde.dumps_typed(entry)
    monkeypatch.undo()
    assert b"biopipelines.graph.schemas" in saved[1]
    loaded = serde.loads_typed(saved)
    assert isinstance(loaded, RouteEntry) and loaded == entry


def test_a_value_saved_now_round_trips():
    serde = state_serializer()
    entry = RouteEntry(node="docs", tier="local", model="m", latency_ms=2.5, turn=3)
    assert serde.loads_typed(serde.dumps_typed(entry)) == entry
