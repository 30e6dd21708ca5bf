"""The graph's typed state. Reducers are explicit: messages merge, routes append, everything else is replaced.

A thread keeps its state across turns (the checkpointer), so `turn` numbers each request, every route entry carries
the turn that produced it, and `safety_in` clears the per-turn fields at the start of each turn. The last plan and
files stay, so a follow-up can refine them.
"""

from __future__ import annotations

import operator
from dataclasses import dataclass
from typing import Annotated, TypedDict

from langchain_core.messages import AnyMessage
from langgraph.graph.message import add_messages

from biopipelines.core.schemas import (
    AskCoverage, CheckResult, ExpertAnswer, IntentResult, RouteEntry, SafetyVerdict, Status, Tier, WorkflowPlan,
)


class InputState(TypedDict):
    messages: Annotated[list[AnyMessage], add_messages]


class AgentState(InputState, total=False):
    turn: int
    deadline: float  # wall-clock seconds when this turn stops waiting on models (budget less offline reserve)
    request: str
    max_attempts: int
    safety: SafetyVerdict
    intent: IntentResult
    plan: WorkflowPlan | None
    files: dict[str, str]
    validation: list[CheckResult]
    attempts: int
    coder_tier: Tier | None
    expert: ExpertAnswer | None
    findings: list[str]
    status: Status | None
    asks: list[AskCoverage]  # this turn's asks and the steps delivering them (the plan's; top level for Studio)
    answer: str
    routes: Annotated[list[RouteEntry], operator.add]


@dataclass(frozen=True)
class RunContext:
    """Per-run settings from the caller or LangGraph Studio; they override environment and profile."""

    profile: str | None = None
    max_attempts: int | None = None
    workflow_dir: str | None = None  # the workflow the conversation is about: job questions answer from its runs


# `plan` and `files` survive a turn: a follow-up refines them, and /save writes the last workflow.
PER_TURN_RESET: dict = {
    "validation": [],
    "attempts": 0,
    "coder_tier": None,
    "expert": None,
    "findings": [],
    "status": None,
    "asks": [],
    "answer": "",
}


def turn_routes(state: AgentState) -> list[RouteEntry]:
    """The route entries of the state's current turn."""
    turn = state.get("turn", 0)
    return [r for r in state.get("routes", []) if r.turn == turn]
