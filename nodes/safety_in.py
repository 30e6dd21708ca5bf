"""safety_in: start a turn, clean the request, and decide allow / allow-with-redaction / refuse by the rules.

Rules run here (config/safety.yaml) and decide the clear cases before any model. A request the rules mark
ambiguous (a dual-use mention) is left `awaiting_guard` for input_guard, which asks the guard model while intent
reads the request, so the guard costs no time on the critical path; the gate after both lets a refusal win. A
redacted request also replaces the user's message in the thread, so the secret or identifier never reaches a model,
a checkpoint or a trace.
"""

from __future__ import annotations

from typing import Any

from langchain_core.messages import BaseMessage, HumanMessage
from langgraph.runtime import Runtime

from biopipelines.core.schemas import SafetyVerdict
from biopipelines.llm.served import offline_route
from biopipelines.nodes.common import NO_RUNTIME, last_user_text, now, refusal
from biopipelines.nodes.deps import NodeDeps
from biopipelines.nodes.offline.safety_rules import load_rules, strip_control_chars
from biopipelines.nodes.state import AgentState, PER_TURN_RESET, RunContext

NODE = "safety_in"
GUARD_ROLE = "safety"  # asked by input_guard; here only whether one is configured
HYGIENE = "input hygiene: rejected before any model call"


class SafetyInNode:
    def __init__(self, deps: NodeDeps) -> None:
        self.deps = deps

    def __call__(self, state: AgentState, runtime: Runtime[RunContext] = NO_RUNTIME) -> dict:
        started = now()
        context = runtime.context
        turn = state.get("turn", 0) + 1
        update: dict = {**PER_TURN_RESET, "turn": turn, "max_attempts": self.deps.max_attempts(context),
                        "deadline": self.deps.deadline(context)}
        raw = last_user_text(state)
        request = strip_control_chars(raw).strip()
        limit = self.deps.settings.profile.max_request_chars

        problem = _hygiene_problem(request, limit)
        if problem is not None:
            reason, message = problem
            verdict = SafetyVerdict(verdict="refuse", reasons=[reason], message=message)
            # keep nothing unusable in state: a huge or undecodable request is cut to what can be stored
            request = request[:limit].encode("utf-8", "replace").decode("utf-8")
            route = offline_route(NODE, started, turn, HYGIENE)
        else:
            verdict, request, route = self._screen(request, turn, started, context)
        if request != raw:
            update.update(_replace_user_message(state, request))
        return {**update, "request": request, "safety": verdict, "routes": [route], **refusal(verdict)}

    def _screen(self, request: str, turn: int, started: float, context: Any):
        outcome = load_rules().apply(request)
        reasons = [r.id for r in outcome.refused + outcome.redacted + outcome.review]
        if outcome.refused:
            message = " ".join(dict.fromkeys(r.message for r in outcome.refused))
            verdict = SafetyVerdict(verdict="refuse", reasons=reasons, message=message)
            return verdict, outcome.text, offline_route(NODE, started, turn, "rules refused before any model call")

        redacted = bool(outcome.redacted)
        notes = []
        if redacted:
            notes.append("Removed from the request before any model saw it: "
                         + ", ".join(sorted({_label(r.category) for r in outcome.redacted})) + ".")
        if not outcome.review:
            return allow(redacted, reasons, notes), outcome.text, offline_route(
                NODE, started, turn, "no ambiguous content: rules decided")
        if not self.deps.tiers(GUARD_ROLE, context):
            notes.append("The request touches a dual-use topic; no guard model is configured, so the rules decided "
                         "(nothing matched a refusal rule).")
            return allow(redacted, reasons, notes), outcome.text, offline_route(
                NODE, started, turn, "no guard model configured")
        verdict = allow(redacted, reasons, notes).model_copy(update={"awaiting_guard": True})
        return verdict, outcome.text, offline_route(NODE, started, turn,
                                                    "dual-use content: the guard model decides beside intent")



def allow(redacted: bool, reasons: list[str], notes: list[str]) -> SafetyVerdict:
    return SafetyVerdict(verdict="allow_with_redaction" if redacted else "allow", reasons=reasons,
                         message=" ".join(notes))


def _hygiene_problem(request: str, limit: int) -> tuple[str, str] | None:
    if not request:
        return "input.empty", "The request is empty."
    if len(request) > limit:
        return "input.too_long", f"The request has {len(request)} characters; the limit is {limit}."
    try:
        request.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates: bytes that were not UTF-8 text
        return "input.not_text", "The request is not valid UTF-8 text."
    return None


def _label(category: str) -> str:
    return {"secret": "a secret (API key or token)", "phi": "protected health information"}.get(category, category)


def _replace_user_message(state: AgentState, text: str) -> dict:
    """Overwrite the last user message in place (same id: add_messages replaces it) with the cleaned text."""
    for message in reversed(state.get("messages", [])):
        if isinstance(message, BaseMessage) and message.type == "human":
            if message.id:
                return {"messages": [HumanMessage(text, id=message.id)]}
            return {}
    return {}
