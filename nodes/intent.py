"""intent: what does the user want, for which analysis, with which details?

LLM tier: the intent role's model with structured output (IntentResult); an answer naming an analysis type the
library does not know is rejected and the call goes down the chain. Offline tier: patterns plus an embedding kNN.
The offline reading comes first and picks the chain (config/intent.yaml, nodes/intent_policy.py): confident code
tasks and simple questions stay local, unsure or multi-step requests escalate. Follow-ups are then tied to the
thread's last plan. Requests that are not workflows get their reply here unless an expert answers them.
"""

from __future__ import annotations

import logging
import re
from functools import lru_cache

import yaml
from langchain_core.messages import HumanMessage, SystemMessage
from langgraph.runtime import Runtime

from biopipelines.core.schemas import IntentResult, WorkflowPlan
from biopipelines.core.settings import PACKAGE_ROOT
from biopipelines.library import load_library
from biopipelines.llm.chain import call_structured
from biopipelines.llm.factory import TierModel
from biopipelines.llm.served import Served
from biopipelines.nodes.common import NO_RUNTIME, now
from biopipelines.nodes.deps import NodeDeps
from biopipelines.nodes.intent_policy import Decision, EscalationPolicy, load_intent_config
from biopipelines.nodes.intent_reading import ROLE, resolve_follow_up
from biopipelines.nodes.offline.asks import known_ask_ids, load_asks
from biopipelines.nodes.offline.run_status import job_status_answer
from biopipelines.nodes.prompts import load_prompt, render_prompt
from biopipelines.nodes.state import AgentState, RunContext

log = logging.getLogger(__name__)

NODE = "intent"
WORKFLOW_INTENTS = {"generate_workflow", "modify_workflow"}
EXPERT_INTENTS = {"explain", "statistics", "troubleshoot"}  # answered by a node that reads cards


def analysis_type_slugs() -> tuple[str, ...]:
    return tuple(load_library().analysis_types)


@lru_cache(maxsize=1)
def analysis_type_lines() -> str:
    """The prompt's list of analysis types: slug, title, and whether a recipe serves it (the set is open)."""
    return "\n".join(f"  {t.slug}: {t.title}" + ("" if t.recipe else " (no recipe: answered as unsupported)")
                     for t in load_library().analysis_types.values())


@lru_cache(maxsize=1)
def ask_lines() -> str:
    """The prompt's list of ask ids with their labels (nodes/offline/data/asks.yaml)."""
    return "\n".join(f"  {kind.id}: {kind.label}" for kind, _ in load_asks())


def merge_asks(model: list[str], offline: list[str]) -> list[str]:
    """The union of the model's asks and the deterministic reading's, in vocabulary order. An id the vocabulary
    does not know is dropped with a warning: a model's slip should cost that ask, not the answer."""
    known = known_ask_ids()
    unknown = [a for a in model if a not in known]
    if unknown:
        log.warning("intent: dropped unknown ask ids from the model's answer: %s", ", ".join(unknown))
    wanted = set(model) | set(offline)
    return [a for a in known if a in wanted]


def check_intent(result: IntentResult) -> IntentResult:
    if result.analysis_type is not None and result.analysis_type not in analysis_type_slugs():
        raise ValueError(f"unknown analysis_type {result.analysis_type!r}")
    return result


def reconcile(model: IntentResult, offline: IntentResult, veto_confidence: float) -> IntentResult:
    """Accept the model's answer unless a confident offline reading contradicts it.

    Entities the offline extractor found verbatim in the request win; the model fills only what it left empty.
    Asks are the union of both readings (known ids only): a deliverable either one reads is worth checking.
    """
    check_intent(model)
    if offline.confidence >= veto_confidence and (model.intent, model.analysis_type) != (
            offline.intent, offline.analysis_type):
        raise ValueError(f"contradicts the offline reading {offline.intent}/{offline.analysis_type} "
                         f"(confidence {offline.confidence:.2f})")
    found = offline.entities.model_dump(exclude_defaults=True)
    entities = model.entities.model_copy(update=found)
    # a tool the request offers as one alternative of a choice is not also requested outright
    offered = {tool for choice in entities.tool_choices for option in choice for tool in option.split("+")}
    if offered & set(entities.tools_requested):
        entities = entities.model_copy(update={"tools_requested": [t for t in entities.tools_requested
                                                                   if t not in offered]})
    return model.model_copy(update={"entities": entities, "asks": merge_asks(model.asks, offline.asks)})


def reply_for(result: IntentResult, workflow_dir: str | None = None) -> dict:
    """Status and answer for turns that end without a workflow or an expert; a job question about a known
    workflow directory is answered from its run records."""
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
    answer = load_prompt(f"reply_{name}").strip()
    if name == "job_management":
        answer = job_status_answer(workflow_dir, answer)
    if name == "data_search" and result.entities.accessions:
        answer += "\n" + render_prompt("reply_fetch_accessions", commands="\n".join(
            f"- {line}" for line in fetch_commands(result.entities.accessions))).strip()
    return {"status": status, "answer": answer}


@lru_cache(maxsize=1)
def _fetch_table() -> tuple[tuple[re.Pattern[str], str, str], ...]:
    data = yaml.safe_load((PACKAGE_ROOT / "nodes" / "offline" / "data" / "fetch_commands.yaml").read_text("utf-8"))
    return tuple((re.compile(e["pattern"]), e["what"], e["command"]) for e in data["fetch_commands"])


def fetch_commands(accessions: list[str]) -> list[str]:
    """One exact fetch command per accession; an accession of no known kind says so instead of guessing."""
    lines = []
    for accession in accessions:
        hit = next(((what, cmd) for pattern, what, cmd in _fetch_table() if pattern.search(accession.upper())), None)
        lines.append(f"{accession} ({hit[0]}): `{hit[1].format(id=accession)}`" if hit
                     else f"{accession}: no fetch command known for this kind of accession")
    return lines


class IntentNode:
    def __init__(self, deps: NodeDeps, policy: EscalationPolicy | None = None) -> None:
        self.deps = deps
        self.policy = policy or EscalationPolicy(load_intent_config())

    def chain(self, request: str, offline: IntentResult, runtime: Runtime[RunContext] = NO_RUNTIME) -> list[TierModel]:
        """The intent call's tiers, ordered by the escalation policy (config/intent.yaml)."""
        context = runtime.context
        decision = self.policy.decide(request, offline)
        strongest = (self.deps.tiers(self.policy.config.escalation.strongest_local_role, context)
                     if decision.route == "escalate" else [])
        return self.policy.chain(decision, self.deps.tiers(ROLE, context), strongest)

    def read(self, request: str, plan: WorkflowPlan | None, runtime: Runtime[RunContext] = NO_RUNTIME,
             deadline: float | None = None) -> Served:
        """The request's reading on the role's tiers, before it is tied to the thread's plan."""
        system = render_prompt(
            "intent", analysis_types=analysis_type_lines(), asks=ask_lines(),
            previous_plan=plan.model_dump_json(include={"recipe", "steps", "read_layout"}) if plan else "none")
        veto = self.deps.settings.profile.intent_veto_confidence
        messages = [SystemMessage(system), HumanMessage(request)]
        fixed = self.fixed_chain(runtime)
        if fixed:
            # The offline reading cannot change which tiers serve this call: send it now, and let the classifier
            # (an embedding, tens of ms of CPU) run beside it; the check and the offline tier wait for its reading.
            reading = self.deps.beside.submit(self.deps.intent_classifier.classify, request)
            return call_structured(
                fixed, IntentResult, messages, offline=reading.result, role=ROLE,
                check=lambda result: reconcile(result, reading.result(), veto), deadline=deadline)
        offline = self.deps.intent_classifier.classify(request)  # cheap, and the check on the model's answer
        return call_structured(
            self.chain(request, offline, runtime), IntentResult, messages,
            offline=lambda: offline, role=ROLE, check=lambda result: reconcile(result, offline, veto),
            deadline=deadline)

    def fixed_chain(self, runtime: Runtime[RunContext] = NO_RUNTIME) -> list[TierModel]:
        """The call's tiers when every escalation decision gives the same ones (no cloud tier, no stronger local
        model than the role's own), else [] (the offline reading picks them: see chain())."""
        context = runtime.context
        own = self.deps.tiers(ROLE, context)
        if not own:
            return []
        strongest = self.deps.tiers(self.policy.config.escalation.strongest_local_role, context)
        local = self.policy.chain(Decision("local", ""), own, strongest)
        escalated = self.policy.chain(Decision("escalate", ""), own, strongest)
        return local if [id(t) for t in local] == [id(t) for t in escalated] else []

    def __call__(self, state: AgentState, runtime: Runtime[RunContext] = NO_RUNTIME) -> dict:
        started = now()
        plan = state.get("plan")
        served = self.read(state["request"], plan, runtime, state.get("deadline"))
        result = resolve_follow_up(served.value, plan)
        workflow_dir = runtime.context.workflow_dir if runtime.context else None
        return {"intent": result, **reply_for(result, workflow_dir), "routes": [served.route(NODE, started, state["turn"])]}
