"""The parts of the intent node that need neither LangGraph nor LangChain: tying a reading to the thread's plan,
and the node's whole answer when no model can serve it.

`biopipelines classify` uses `offline_reading` on the offline profile, so a cold CLI classifies without importing
the node's graph and model machinery (about half a second); nodes/intent.py uses the same functions.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from biopipelines.core.schemas import Entities, IntentResult, WorkflowPlan
from biopipelines.nodes.intent_policy import EscalationPolicy, load_intent_config

if TYPE_CHECKING:
    from biopipelines.nodes.deps import NodeDeps

ROLE = "intent"


def _changes_something(entities: Entities) -> bool:
    """Does the request carry a detail a follow-up could change (a tool, the layout, the conditions...)?

    An organism alone does not count: "analyze my zebrafish data" is more likely new data than a change of the plan.
    """
    return bool(entities.tools_requested or entities.tools_excluded or entities.tool_choices or entities.read_layout
                or entities.strandedness or entities.conditions)


def resolve_follow_up(result: IntentResult, plan: WorkflowPlan | None) -> IntentResult:
    """Tie a follow-up to the thread's last plan ("that workflow", "make it single-end").

    Without a plan a modification is a new request. With one, a modification that names no assay (or names the
    plan's own) modifies that plan, so no clarifying question is needed; a workflow request that names no assay but
    changes a detail ("now compare treated against control") is read as a modification too.
    """
    if plan is None:
        if result.intent == "modify_workflow":
            return result.model_copy(update={"intent": "generate_workflow"})
        return result
    vague_request = (result.intent == "generate_workflow" and result.analysis_type is None
                     and _changes_something(result.entities))
    if result.intent == "modify_workflow" or vague_request:
        if result.analysis_type in (None, plan.recipe):
            return result.model_copy(update={"intent": "modify_workflow", "analysis_type": plan.recipe,
                                             "needs_clarification": False, "clarifying_question": None})
    return result


def offline_reading(deps: "NodeDeps", request: str, policy: EscalationPolicy | None = None) -> IntentResult | None:
    """What the intent node answers for a first turn when neither the role nor the model it escalates to has a
    tier (the offline profile): the offline classifier's reading. None when some model could serve the call, so
    the caller runs the node itself."""
    policy = policy or EscalationPolicy(load_intent_config())
    if deps.tiers(ROLE) or deps.tiers(policy.config.escalation.strongest_local_role):
        return None
    return resolve_follow_up(deps.intent_classifier.classify(request), None)
