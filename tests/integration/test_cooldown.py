"""The cooldown skips a failing endpoint without connecting to it, and lets it back in once the cooldown ends."""

from __future__ import annotations

import time

import pytest
from langchain_core.messages import HumanMessage

from biopipelines.core.schemas import IntentResult
from biopipelines.core.settings import load_settings
from biopipelines.llm.chain import call_structured
from biopipelines.llm.factory import ModelFactory
from tests.integration.fault_server import FaultServer
from tests.integration.test_fault_scenarios import GOOD, OFFLINE, profile

pytestmark = pytest.mark.integration

COOLDOWN_S = 1.0


@pytest.fixture
def fault():
    server = FaultServer()
    server.answer = GOOD.model_dump_json()
    with server.running():
        yield server


def test_endpoint_is_skipped_without_a_connection_until_cooldown_ends(tmp_path, fault):
    fault.set("flaky", "r500")
    path = profile(tmp_path, [fault.url("flaky")], retries=0, cooldown_failures=2, cooldown_s=COOLDOWN_S)
    factory = ModelFactory(load_settings(path, env={}), env={})

    def ask():
        return call_structured(factory.tiers("intent"), IntentResult, [HumanMessage("hi")], lambda: OFFLINE,
                               "intent")

    for expected_hits in (1, 2):  # two real failures open the breaker
        served = ask()
        assert served.tier == "offline" and "HTTP 500" in served.fallback_reason
        assert fault.hits["flaky"] == expected_hits

    fault.set("flaky", "ok")  # the endpoint has recovered, but the breaker does not know yet
    for _ in range(3):
        served = ask()
        assert served.tier == "offline" and "skipped, in cooldown" in served.fallback_reason
    assert fault.hits["flaky"] == 2  # no connection attempt while cooling down
    assert factory.guard.snapshot()[fault.url("flaky")]["cooldown_left_s"] > 0

    time.sleep(COOLDOWN_S + 0.2)  # waiting out the cooldown (a wait, not a timing assertion)
    served = ask()
    assert served.tier == "local" and served.value == GOOD and fault.hits["flaky"] == 3


def test_cooldown_is_shared_by_roles_on_one_server(tmp_path, fault):
    """One hung server is one endpoint: after it fails, other roles' models on it are skipped too."""
    path = profile(tmp_path, [fault.url("r500")], retries=0, cooldown_failures=1, cooldown_s=30)
    factory = ModelFactory(load_settings(path, env={}), env={})
    before = fault.hits["r500"]
    first = call_structured(factory.tiers("intent"), IntentResult, [HumanMessage("hi")], lambda: OFFLINE, "intent")
    second = call_structured(factory.tiers("intent"), IntentResult, [HumanMessage("hi")], lambda: OFFLINE, "x")
    assert "HTTP 500" in first.fallback_reason and "skipped, in cooldown" in second.fallback_reason
    assert fault.hits["r500"] - before == 1
