"""The routers are pure functions of state."""

import pytest

from biopipelines.core.schemas import CheckResult, IntentResult
from biopipelines.graph.routing import route_after_gate, route_after_planner, route_after_safety_in, route_after_validator


def intent(name: str, analysis_type: str | None = "rnaseq_de") -> IntentResult:
    return IntentResult(intent=name, analysis_type=analysis_type, confidence=0.9)


def test_safety_in_routes_refusals_to_safety_out():
    assert route_after_safety_in({"status": "refused"}) == "safety_out"
    assert route_after_safety_in({"status": None}) == ["intent", "input_guard"]  # side by side


@pytest.mark.parametrize("name, expected", [
    ("generate_workflow", "planner"), ("modify_workflow", "planner"),
    ("explain", "bio_expert"), ("statistics", "math_expert"),
])
def test_gate_routes_by_intent(name, expected):
    assert route_after_gate({"intent": intent(name)}) == expected


def test_a_decided_status_goes_to_safety_out():
    for status in ("needs_clarification", "not_a_workflow", "refused"):
        assert route_after_gate({"intent": intent("generate_workflow"), "status": status}) == "safety_out"


def test_planner_routes():
    assert route_after_planner({"plan": object()}) == "coder"
    assert route_after_planner({"plan": object(), "status": "unsupported"}) == "safety_out"
    assert route_after_planner({"plan": None}) == "safety_out"


ok = CheckResult(check="dry_run", ok=True)
bad = CheckResult(check="dry_run", ok=False, details="MissingInputException")


@pytest.mark.parametrize("state, expected", [
    ({"validation": [ok], "attempts": 1, "max_attempts": 3}, "docs"),
    ({"validation": [bad], "attempts": 1, "max_attempts": 3, "coder_tier": "local"}, "coder"),
    ({"validation": [bad], "attempts": 3, "max_attempts": 3, "coder_tier": "local"}, "docs"),
    ({"validation": [bad], "attempts": 1, "max_attempts": 3, "coder_tier": "offline"}, "docs"),
    ({"validation": [], "attempts": 1, "max_attempts": 3, "coder_tier": "cloud"}, "coder"),
])
def test_self_heal_loop_is_bounded(state, expected):
    assert route_after_validator(state) == expected
