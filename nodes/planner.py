"""planner: turn the intent into a WorkflowPlan from the module library's recipe.

LLM tier: the planner model advises which of the recipe's allowed modules to use (it cannot invent tools: advice
naming a tool the recipe cannot use is rejected). Offline tier: the library's own choice from the entities.
Either way the library builds the plan, so every plan is made of vetted modules. An analysis the library cannot
serve ends the turn with status `unsupported` and an honest answer.
"""

from __future__ import annotations

from concurrent.futures import Executor
from langchain_core.messages import HumanMessage, SystemMessage
from langgraph.runtime import Runtime

from biopipelines.core.schemas import Entities, IntentResult, WorkflowPlan
from biopipelines.llm.chain import call_structured
from biopipelines.llm.served import offline_route
from biopipelines.nodes.common import NO_RUNTIME, now
from biopipelines.nodes.deps import NodeDeps
from biopipelines.nodes.library_links.deliverable_tools import set_aside
from biopipelines.nodes.library_links.tool_lookup import resolve_requested
from biopipelines.nodes.offline.asks import AskKind, coverage, load_asks, declined_asks, read_asks, steps_for_asks
from biopipelines.nodes.prompts import render_prompt
from biopipelines.nodes.schemas import PlanAdvice
from biopipelines.nodes.state import AgentState, RunContext

NODE = "planner"
ROLE = "planner"


def asks_of(request: str, previous: WorkflowPlan | None, intent: IntentResult,
            analysis_type: str) -> list[AskKind]:
    """The request's asks: the deterministic reading, plus the known ids the intent model named (the union: a
    deliverable either reads is checked); a follow-up keeps the asks of the workflow it changes."""
    read = read_asks(request, analysis_type, intent.entities.conditions)
    asked = ({kind.id for kind in read} | set(intent.asks)
             | {a.ask for a in (previous.asks if previous else [])})
    return [kind for kind, _ in load_asks() if kind.id in asked]


def merge_advice(entities: Entities, advice: PlanAdvice) -> Entities:
    requested = list(dict.fromkeys(entities.tools_requested + [t.lower() for t in advice.tools_requested]))
    excluded = list(dict.fromkeys(entities.tools_excluded + [t.lower() for t in advice.tools_excluded]))
    excluded = [t for t in excluded if t not in requested]  # what the user asked for wins
    return entities.model_copy(update={"tools_requested": requested, "tools_excluded": excluded})


def with_steps_for(asks: list[AskKind], intent: IntentResult, analysis_type: str | None, library) -> IntentResult:
    """The intent with requests for the optional steps that deliver its asks (see steps_for_asks)."""
    entities = intent.entities
    wanted = [r for r in steps_for_asks(asks, analysis_type or "", library, entities.tools_excluded)
              if r not in entities.tools_requested]
    if not wanted:
        return intent
    return intent.model_copy(update={"entities": entities.model_copy(
        update={"tools_requested": [*entities.tools_requested, *wanted]})})


class AdvisedPlans:
    """The library's plan for the model's advice. The plan without advice is made, and its draft rendered, in
    `pool` while the model thinks: advice that changes no tool (the usual answer) finds both ready."""

    def __init__(self, deps: NodeDeps, analysis_type: str, entities: Entities, previous: WorkflowPlan | None,
                 notes: list[str], pool: Executor) -> None:
        self.deps, self.analysis_type, self.entities, self.previous, self.notes = (
            deps, analysis_type, entities, previous, notes)
        self.unadvised = merge_advice(entities, PlanAdvice())
        self._ahead = pool.submit(self._plan_and_render, self.unadvised)

    def for_advice(self, advice: PlanAdvice) -> WorkflowPlan:
        entities = merge_advice(self.entities, advice)
        return self._ahead.result() if entities == self.unadvised else self._plan(entities)

    def _plan(self, entities: Entities) -> WorkflowPlan:
        plan = self.deps.library.plan(self.analysis_type, entities, self.previous)
        return plan.model_copy(update={"notes": plan.notes + self.notes})

    def _plan_and_render(self, entities: Entities) -> WorkflowPlan:
        plan = self._plan(entities)
        self.deps.draft(plan)
        return plan


class PlannerNode:
    def __init__(self, deps: NodeDeps) -> None:
        self.deps = deps

    def __call__(self, state: AgentState, runtime: Runtime[RunContext] = NO_RUNTIME) -> dict:
        from biopipelines.library import UnsupportedAnalysis

        started = now()
        intent: IntentResult = state["intent"]
        previous = state.get("plan") if intent.intent == "modify_workflow" else None
        analysis_type = intent.analysis_type or (previous.recipe if previous else None)
        library = self.deps.library
        # A tool the library does not have ("something like Cell Ranger") maps to the module doing the same job,
        # with a plan note saying so; the retriever loads only when such a name occurs.
        # A tool that stands for a deliverable the library cannot make ("annotated with VEP") becomes that ask.
        kept, tool_asks, aside = set_aside(intent.entities.tools_requested, library)
        looked = resolve_requested(kept, library, lambda: self.deps.retriever)
        intent = intent.model_copy(update={"asks": [*intent.asks, *tool_asks], "entities": intent.entities.model_copy(
            update={"tools_requested": looked.tools_requested})})
        asks = asks_of(state["request"], previous, intent, analysis_type) if analysis_type else []
        declined = declined_asks(asks, analysis_type or "", library, intent.entities.tools_excluded)
        asks = [kind for kind in asks if kind.id not in declined]
        intent = with_steps_for(asks, intent, analysis_type, library)
        try:
            if not library.has_recipe(analysis_type):
                library.plan(analysis_type, intent.entities, previous)  # raises the honest explanation
            system = render_prompt("planner", analysis_type=analysis_type,
                                   steps=library.describe_recipe(analysis_type),
                                   entities=intent.entities.model_dump_json(exclude_defaults=True))

            plans = AdvisedPlans(self.deps, analysis_type, intent.entities, previous, looked.notes + aside,
                                 self.deps.beside)
            # A ValueError (UnsupportedAnalysis is one) from the check rejects the model's advice and sends the call
            # down the chain.
            served = call_structured(
                self.deps.tiers(ROLE, runtime.context), PlanAdvice,
                [SystemMessage(system), HumanMessage(state["request"])], offline=PlanAdvice, role=ROLE,
                check=lambda advice: plans.for_advice(advice) and advice, deadline=state.get("deadline"))
            plan = plans.for_advice(served.value)
            plan = plan.model_copy(update={"asks": coverage(asks, plan, library)})
        except UnsupportedAnalysis as exc:
            route = offline_route(NODE, started, state["turn"], "the module library cannot serve this request")
            return {"status": "unsupported", "answer": str(exc), "routes": [route]}
        return {"plan": plan, "asks": plan.asks, "routes": [served.route(NODE, started, state["turn"])]}
