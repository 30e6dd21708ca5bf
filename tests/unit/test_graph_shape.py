"""A graph-shape snapshot: any change to nodes or edges must update tests/unit/snapshots/graph.mmd on purpose."""

from pathlib import Path

from biopipelines.graph import build_graph

SNAPSHOT = Path(__file__).parent / "snapshots" / "graph.mmd"


def test_graph_shape_matches_snapshot():
    drawn = build_graph().get_graph().draw_mermaid()
    assert drawn == SNAPSHOT.read_text(), "graph shape changed; if intended, regenerate the snapshot"


def test_module_level_graph_is_compiled_for_studio():
    from biopipelines.graph import graph

    assert set(graph.get_graph().nodes) == {
        "__start__", "safety_in", "intent", "input_guard", "gate", "planner", "coder", "validator", "bio_expert", "math_expert", "troubleshoot", "docs",
        "safety_out", "__end__"}
