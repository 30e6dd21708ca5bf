"""The REPL shows a `partial` turn with its asks: each delivered one with its steps, each undone one with the hint."""

from __future__ import annotations

import io
import json

from biopipelines.core.settings import load_settings
from biopipelines.graph.repl import ChatSession


def test_a_partial_turn_lists_its_undone_asks(tmp_path):
    out = io.StringIO()
    session = ChatSession(load_settings("offline", env={}), tmp_path / "t.sqlite", None, out=out)
    try:
        session.ask("Call H3K4me1 peaks in ChIP-seq of two mouse cell types with inputs, then run motif enrichment "
                    "on the peaks")
        session.command("/state")
    finally:
        session.close()
    text = out.getvalue()
    assert "[partial]" in text
    lines = text.splitlines()
    assert any(line.startswith("  done      called peaks (") for line in lines), text
    assert any(line.startswith("  NOT DONE  motif enrichment: to add it, ") for line in lines), text
    state = json.loads(lines[-1])
    assert state["status"] == "partial"
    assert {a["ask"]: bool(a["covered_by"]) for a in state["asks"]} == {"peaks": True, "motif_enrichment": False}
