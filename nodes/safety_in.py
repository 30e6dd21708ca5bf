"""safety_in: start a turn, clean the request, and decide allow / allow-with-redaction / refuse.

Rules run first (config/safety.yaml). The safety role's guard model (Llama Guard 3 format) is asked only about
requests the rules mark ambiguous; without a guard, or when it gives no valid verdict, ambiguous requests are
allowed and the verdict says so (the rules already refuse the clear cases; a mention of H5N1 in a surveillance
request must not be blocked because a server is down). A redacted request also replaces the user's message in
the thread, so the secret or identifier never reaches a model, a checkpoint or a trace.
"""

from __future__ import annotations

from typing import Any

from langchain_core.messages import BaseMessage, HumanMessage

from graph.schemas import SafetyVerdict
from graph.state import PER_TURN_RESET, AgentState
from graph.tiers import call_text, offline_route
from nodes.common import last_user_text, now, run_context
from nodes.deps import NodeDeps
from nodes.offline.safety_rules import describe_categories, load_rules, parse_guard_verdict, strip_control_chars
from nodes.prompts import render_prompt

NODE = "safety_in"
ROLE = "safety"
HYGIENE = "input hygiene: rejected before any model call"


class SafetyInNode:
    def __init__(self, deps: NodeDeps) -> None:
        self.deps = deps

    def __call__(self, state: AgentState, runtime: Any = None) -> dict:
        started = now()
        context = run_context(runtime)
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
            verdict, request, route = self._screen(request, turn, started, context, update["deadline"])
        if request != raw:
            update.update(_replace_user_message(state, request))
        return {**update, "request": request, "safety": verdict, "routes": [route], **self._refusal(verdict)}

    def _screen(self, request: str, turn: int, started: float, context: Any, deadline: float):
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
        tiers = self.deps.tiers(ROLE, context)
        if not outcome.review or not tiers:
            why = "no ambiguous content: rules decided" if not outcome.review else "no guard model configured"
            if outcome.review:
                notes.append("The request touches a dual-use topic; no guard model is configured, so the rules "
                             "decided (nothing matched a refusal rule).")
            return self._allow(redacted, reasons, notes), outcome.text, offline_route(NODE, started, turn, why)

        prompt = render_prompt("safety_guard", request=outcome.text)
        served = call_text(tiers, parse_guard_verdict, [HumanMessage(prompt)], lambda: None, ROLE, deadline=deadline)
        if served.value is None:
            reasons.append("guard.unavailable")
            notes.append("The guard model gave no valid verdict; the rules decided (nothing matched a refusal "
                         "rule).")
        else:
            safe, categories = served.value
            if not safe:
                verdict = SafetyVerdict(verdict="refuse", reasons=reasons + categories,
                                        message=f"The safety guard flagged the request: "
                                                f"{describe_categories(categories)}.")
                return verdict, outcome.text, served.route(NODE, started, turn)
            reasons.append("guard.safe")
        return self._allow(redacted, reasons, notes), outcome.text, served.route(NODE, started, turn)

    @staticmethod
    def _allow(redacted: bool, reasons: list[str], notes: list[str]) -> SafetyVerdict:
        return SafetyVerdict(verdict="allow_with_redaction" if redacted else "allow", reasons=reasons,
                             message=" ".join(notes))

    @staticmethod
    def _refusal(verdict: SafetyVerdict) -> dict:
        if verdict.verdict != "refuse":
            return {}
        return {"status": "refused", "answer": f"I can't help with this request. {verdict.message}".strip()}


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
