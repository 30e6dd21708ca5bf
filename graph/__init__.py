"""BioPipelines Agent's composition root.

`from graph import build_graph, graph` gives the builder and the compiled default graph. Both load lazily, so
importing a submodule (graph.builder, graph.cli...) never compiles a graph.
"""

from __future__ import annotations

from typing import Any

__all__ = ["build_graph", "graph"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from biopipelines.graph import builder

        return getattr(builder, name)
    raise AttributeError(f"module 'graph' has no attribute {name!r}")
