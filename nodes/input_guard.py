"""input_guard: the guard model's verdict on a request the rules marked ambiguous, asked beside intent.

safety_in leaves such a request `awaiting_guard`; every other request passes through here untouched. The guard
(Llama Guard 3 format) runs while intent reads the request: the two calls are independent, so the guard adds no
time to the turn, and the gate after both lets a refusal win before any planner, coder or expert sees the request.
The cost: intent's model reads a request that is later refused (only to classify it; secrets and identifiers were
already redacted by the rules). Without a valid verdict the request is allowed and the verdict says so: the rules
already refuse the clear cases, and a mention of H5N1 in a surveillance request must not be blocked because a
server is down.
"""

from __future__ import annotations

from langchain_core.messages import HumanMessage
from langgraph.runtime import Runtime

from biopipelines.core.schemas import SafetyVerdict
from biopipelines.llm.chain import call_text
from biopipelines.nodes.common import NO_RUNTIME, now
from biopipelines.nodes.deps import NodeDeps
from biopipelines.nodes.offline.safety_rules import describe_categories, parse_guard_verdict
from biopipelines.nodes.prompts import render_prompt
from biopipelines.nodes.state import AgentState, RunContext

NODE = "input_guard"
ROLE = "safety"


class InputGuardNode:
    def __init__(self, deps: NodeDeps) -> None:
        self.deps = deps

    def __call__(self, state: AgentState, runtime: Runtime[RunContext] = NO_RUNTIME) -> dict:
        verdict = state.get("safety")
        if verdict is None or not verdict.awaiting_guard:
            return {}
        started = now()
        prompt = render_prompt("safety_guard", request=state["request"])
        served = call_text(self.deps.tiers(ROLE, runtime.context), parse_guard_verdict, [HumanMessage(prompt)],
                           lambda: None, ROLE, deadline=state.get("deadline"))
        return {"safety": judged(verdict, served.value), "routes": [served.route(NODE, started, state["turn"])]}


def judged(verdict: SafetyVerdict, guard: tuple[bool, list[str]] | None) -> SafetyVerdict:
    """The rules' verdict settled by the guard's answer (None: no valid verdict, the rules decide)."""
    if guard is None:
        note = "The guard model gave no valid verdict; the rules decided (nothing matched a refusal rule)."
        return verdict.model_copy(update={
            "awaiting_guard": False, "reasons": [*verdict.reasons, "guard.unavailable"],
            "message": " ".join(filter(None, [verdict.message, note]))})
    safe, categories = guard
    if safe:
        return verdict.model_copy(update={"awaiting_guard": False, "reasons": [*verdict.reasons, "guard.safe"]})
    return SafetyVerdict(verdict="refuse", reasons=[*verdict.reasons, *categories],
                         message=f"The safety guard flagged the request: {describe_categories(categories)}.")
