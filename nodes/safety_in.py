"""safety_in: start a turn, clean the request, and decide allow / allow-with-redaction / refuse.

Rules run first (config/safety.yaml). The safety role's guard model (Llama Guard 3 format) is asked only about
requests the rules mark ambiguous; without a guard, ambiguous requests are allowed and the verdict says so.
"""

from __future__ import annotations

from typing import Any

from langchain_core.messages import HumanMessage

from graph.schemas import SafetyVerdict
from graph.state import PER_TURN_RESET, AgentState
from graph.tiers import call_text, offline_route
from nodes.common import last_user_text, now, run_context
from nodes.deps import NodeDeps
from nodes.offline.safety_rules import load_rules, parse_guard_verdict, strip_control_chars
from nodes.prompts import render_prompt

NODE = "safety_in"
ROLE = "safety"


class SafetyInNode:
    def __init__(self, deps: NodeDeps) -> None:
        self.deps = deps

    def __call__(self, state: AgentState, runtime: Any = None) -> dict:
        started = now()
        context = run_context(runtime)
        turn = state.get("turn", 0) + 1
        update: dict = {**PER_TURN_RESET, "turn": turn, "max_attempts": self.deps.max_attempts(context)}
        request = strip_control_chars(last_user_text(state)).strip()
        limit = self.deps.settings.profile.max_request_chars

        hygiene = "input hygiene: rejected before any model call"
        if not request:
            verdict = SafetyVerdict(verdict="refuse", reasons=["input.empty"], message="The request is empty.")
            route = offline_route(NODE, started, turn, hygiene)
        elif len(request) > limit:
            verdict = SafetyVerdict(verdict="refuse", reasons=["input.too_long"],
                                    message=f"The request has {len(request)} characters; the limit is {limit}.")
            request, route = request[:limit], offline_route(NODE, started, turn, hygiene)
        else:
            verdict, request, route = self._screen(request, turn, started, context)
        return {**update, "request": request, "safety": verdict, "routes": [route], **self._refusal(verdict)}

    def _screen(self, request: str, turn: int, started: float, context: Any):
        outcome = load_rules().apply(request)
        reasons = [r.id for r in outcome.refused + outcome.redacted + outcome.review]
        if outcome.refused:
            message = " ".join(dict.fromkeys(r.message for r in outcome.refused))
            verdict = SafetyVerdict(verdict="refuse", reasons=reasons, message=message)
            return verdict, outcome.text, offline_route(NODE, started, turn, "rules refused before any model call")

        redacted = bool(outcome.redacted)
        base = SafetyVerdict(
            verdict="allow_with_redaction" if redacted else "allow", reasons=reasons,
            message=("Removed from the request before any model saw it: "
                     + ", ".join(sorted({r.category for r in outcome.redacted})) + ".") if redacted else "")
        tiers = self.deps.tiers(ROLE, context)
        if not outcome.review or not tiers:
            why = "no ambiguous content: rules decided" if not outcome.review else "no guard model configured"
            return base, outcome.text, offline_route(NODE, started, turn, why)

        prompt = render_prompt("safety_guard", request=outcome.text)
        served = call_text(tiers, parse_guard_verdict, [HumanMessage(prompt)], lambda: (True, []), ROLE)
        safe, categories = served.value
        if not safe:
            base = SafetyVerdict(verdict="refuse", reasons=reasons + categories,
                                 message=f"The safety guard flagged the request ({', '.join(categories)}).")
        return base, outcome.text, served.route(NODE, started, turn)

    @staticmethod
    def _refusal(verdict: SafetyVerdict) -> dict:
        if verdict.verdict != "refuse":
            return {}
        return {"status": "refused", "answer": f"I can't help with this request. {verdict.message}".strip()}
