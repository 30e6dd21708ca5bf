"""Tools that stand for a deliverable the library cannot make ("annotated with VEP").

Such a mention is an ask, not a tool choice for the assay: the workflow is planned without it and the ask is
reported as not done (status `partial`). Refusing the whole plan because one later step's tool is missing would
turn a partial answer into no answer.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from biopipelines.library.tool_registry import load_tool_registry

if TYPE_CHECKING:
    from biopipelines.library import Library


def set_aside(tools_requested: list[str], library: "Library") -> tuple[list[str], list[str], list[str]]:
    """(the tools to plan with, the ask ids the set-aside tools deliver, one note per set-aside tool)."""
    delivers = {tool.id: tool.delivers for tool in load_tool_registry() if tool.delivers}
    kept, asks, notes = [], [], []
    for name in tools_requested:
        if name in delivers and not library.tool_index.match(name):
            asks += delivers[name]
            notes.append(f"{name}: the module library has no module for it; what it delivers "
                         f"({', '.join(delivers[name])}) is listed with the asks.")
        else:
            kept.append(name)
    return kept, list(dict.fromkeys(asks)), notes
