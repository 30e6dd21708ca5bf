"""gate: where intent's reading and input_guard's verdict meet (both ran side by side). A refusal wins over
whatever intent decided; otherwise intent's reading routes the turn."""

from __future__ import annotations

from biopipelines.nodes.common import refusal
from biopipelines.nodes.state import AgentState


def gate(state: AgentState) -> dict:
    verdict = state.get("safety")
    return refusal(verdict) if verdict is not None else {}
