"""intent: what does the user want, for which analysis, with which details?

LLM tier: the intent role's model with structured output (IntentResult); an answer naming an analysis type the
library does not know is rejected and the call goes down the chain. Offline tier: patterns plus an embedding kNN.
Requests that are not workflows get their reply here unless an expert answers them.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import yaml
from langchain_core.messages import HumanMessage, SystemMessage

from graph.schemas import IntentResult
from graph.settings import REPO_ROOT
from graph.state import AgentState
from nodes.common import now, run_context
from nodes.deps import NodeDeps
from nodes.prompts import load_prompt, render_prompt
from graph.tiers import call_structured

NODE = "intent"
ROLE = "intent"
WORKFLOW_INTENTS = {"generate_workflow", "modify_workflow"}
EXPERT_INTENTS = {"explain", "statistics"}


@lru_cache(maxsize=1)
def analysis_type_slugs() -> tuple[str, ...]:
    data = yaml.safe_load((REPO_ROOT / "library" / "analysis_types.yaml").read_text(encoding="utf-8"))
    return tuple(t["slug"] for t in data["analysis_types"])


def check_intent(result: IntentResult) -> IntentResult:
    if result.analysis_type is not None and result.analysis_type not in analysis_type_slugs():
        raise ValueError(f"unknown analysis_type {result.analysis_type!r}")
    return result


def reconcile(model: IntentResult, offline: IntentResult, veto_confidence: float) -> IntentResult:
    """Accept the model's answer unless a confident offline reading contradicts it.

    Entities the offline extractor found verbatim in the request win; the model fills only what it left empty.
    """
    check_intent(model)
    if offline.confidence >= veto_confidence and (model.intent, model.analysis_type) != (
            offline.intent, offline.analysis_type):
        raise ValueError(f"contradicts the offline reading {offline.intent}/{offline.analysis_type} "
                         f"(confidence {offline.confidence:.2f})")
    found = offline.entities.model_dump(exclude_defaults=True)
    return model.model_copy(update={"entities": model.entities.model_copy(update=found)})


def resolve_follow_up(result: IntentResult, has_plan: bool) -> IntentResult:
    """A modification needs an earlier plan; without one it is a new request."""
    if result.intent == "modify_workflow" and not has_plan:
        return result.model_copy(update={"intent": "generate_workflow"})
    return result


def reply_for(result: IntentResult) -> dict:
    """Status and answer for turns that end without a workflow or an expert."""
    if result.intent in WORKFLOW_INTENTS:
        if result.needs_clarification or result.analysis_type is None:
            question = result.clarifying_question or load_prompt("reply_unknown").strip()
            return {"status": "needs_clarification", "answer": question}
        return {}
    if result.intent in EXPERT_INTENTS:
        return {}
    name = result.intent if result.intent in {
        "smalltalk", "data_search", "job_management", "validate_workflow", "plan_deployment", "unsafe"} else "unknown"
    status = "refused" if name == "unsafe" else "not_a_workflow"
    return {"status": status, "answer": load_prompt(f"reply_{name}").strip()}


class IntentNode:
    def __init__(self, deps: NodeDeps) -> None:
        self.deps = deps

    def __call__(self, state: AgentState, runtime: Any = None) -> dict:
        started = now()
        request = state["request"]
        plan = state.get("plan")
        system = render_prompt(
            "intent", analysis_types="\n".join(f"  {s}" for s in analysis_type_slugs()),
            previous_plan=plan.model_dump_json(include={"recipe", "steps", "read_layout"}) if plan else "none")
        offline = self.deps.intent_classifier.classify(request)  # cheap, and the check on the model's answer
        veto = self.deps.settings.profile.intent_veto_confidence
        served = call_structured(
            self.deps.tiers(ROLE, run_context(runtime)), IntentResult,
            [SystemMessage(system), HumanMessage(request)],
            offline=lambda: offline, role=ROLE, check=lambda result: reconcile(result, offline, veto))
        result = resolve_follow_up(served.value, has_plan=plan is not None)
        return {"intent": result, **reply_for(result), "routes": [served.route(NODE, started, state["turn"])]}
