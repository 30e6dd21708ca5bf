"""gate: where intent's reading and input_guard's verdict meet (both ran side by side). A refusal wins over
whatever intent decided; otherwise intent's reading routes the turn."""

from __future__ import annotations

from typing import Any

from biopipelines.graph.state import AgentState
from biopipelines.nodes.safety_in import refusal


def gate(state: AgentState, runtime: Any = None) -> dict:
    verdict = state.get("safety")
    return refusal(verdict) if verdict is not None else {}
