"""The composition root: assemble the nodes and edges. Nothing else happens here."""

from __future__ import annotations

from langgraph.graph import END, START, StateGraph
from langgraph.types import Checkpointer

from biopipelines.llm.factory import ModelFactory
from biopipelines.graph.routing import (
    SCREENED, route_after_gate, route_after_planner, route_after_safety_in, route_after_validator,
)
from biopipelines.core.settings import Settings, load_settings
from biopipelines.nodes.bio_expert import BioExpertNode
from biopipelines.nodes.coder import CoderNode
from biopipelines.nodes.deps import NodeDeps
from biopipelines.nodes.docs import DocsNode
from biopipelines.nodes.gate import gate
from biopipelines.nodes.input_guard import InputGuardNode
from biopipelines.nodes.intent import IntentNode
from biopipelines.nodes.math_expert import MathExpertNode
from biopipelines.nodes.planner import PlannerNode
from biopipelines.nodes.safety_in import SafetyInNode
from biopipelines.nodes.safety_out import SafetyOutNode
from biopipelines.nodes.state import AgentState, InputState, RunContext
from biopipelines.nodes.troubleshoot import TroubleshootNode
from biopipelines.nodes.validator import ValidatorNode


def build_graph(
    settings: Settings | None = None,
    models: ModelFactory | None = None,
    *,
    deps: NodeDeps | None = None,
    checkpointer: Checkpointer = None,
):
    """Compile the agent graph. Pass `models` (or whole `deps`) to inject fakes; defaults follow the settings."""
    if deps is None:
        settings = settings or load_settings()
        deps = NodeDeps(settings=settings, models=models or ModelFactory(settings))

    builder = StateGraph(AgentState, input_schema=InputState, context_schema=RunContext)
    builder.add_node("safety_in", SafetyInNode(deps))
    builder.add_node("intent", IntentNode(deps))
    builder.add_node("input_guard", InputGuardNode(deps))
    builder.add_node("gate", gate)
    builder.add_node("planner", PlannerNode(deps))
    builder.add_node("coder", CoderNode(deps))
    builder.add_node("validator", ValidatorNode(deps))
    builder.add_node("bio_expert", BioExpertNode(deps))
    builder.add_node("math_expert", MathExpertNode(deps))
    builder.add_node("troubleshoot", TroubleshootNode(deps))
    builder.add_node("docs", DocsNode(deps))
    builder.add_node("safety_out", SafetyOutNode(deps))

    builder.add_edge(START, "safety_in")
    builder.add_conditional_edges("safety_in", route_after_safety_in, [*SCREENED, "safety_out"])
    builder.add_edge(SCREENED, "gate")  # waits for both
    builder.add_conditional_edges("gate", route_after_gate)
    builder.add_conditional_edges("planner", route_after_planner)
    builder.add_edge("coder", "validator")
    builder.add_conditional_edges("validator", route_after_validator)
    builder.add_edge("bio_expert", "safety_out")
    builder.add_edge("math_expert", "safety_out")
    builder.add_edge("troubleshoot", "safety_out")
    builder.add_edge("docs", "safety_out")
    builder.add_edge("safety_out", END)
    return builder.compile(checkpointer=checkpointer, name="biopipelines")


# LangGraph Studio / `langgraph dev` load this compiled graph (see langgraph.json). Profile from BIOPIPELINES_PROFILE.
graph = build_graph()
