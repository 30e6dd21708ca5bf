"""Routing: pure functions of state. Their Literal return types let LangGraph (and Studio) draw every edge."""

from __future__ import annotations

from typing import Literal

from biopipelines.nodes.state import AgentState


SCREENED = ["intent", "input_guard"]  # independent: intent reads the request while the guard judges it


def route_after_safety_in(state: AgentState) -> Literal["safety_out"] | list[Literal["intent", "input_guard"]]:
    return "safety_out" if state.get("status") == "refused" else list(SCREENED)


def route_after_gate(
    state: AgentState,
) -> Literal["planner", "bio_expert", "math_expert", "troubleshoot", "safety_out"]:
    """After intent and input_guard have both answered."""
    if state.get("status"):  # clarification, refusal or a direct reply, decided by intent or the guard
        return "safety_out"
    intent = state["intent"].intent
    if intent == "explain":
        return "bio_expert"
    if intent == "statistics":
        return "math_expert"
    if intent == "troubleshoot":
        return "troubleshoot"
    return "planner"


def route_after_planner(state: AgentState) -> Literal["coder", "safety_out"]:
    return "safety_out" if state.get("status") == "unsupported" or not state.get("plan") else "coder"


def route_after_validator(state: AgentState) -> Literal["coder", "docs"]:
    """The self-heal loop: back to the coder while checks fail, attempts remain, and a retry can change anything."""
    checks = state.get("validation", [])
    if checks and all(c.ok for c in checks):
        return "docs"
    if state.get("attempts", 0) >= state.get("max_attempts", 3):
        return "docs"
    if state.get("coder_tier") == "offline":  # the library rendering is deterministic: a retry would repeat it
        return "docs"
    return "coder"
