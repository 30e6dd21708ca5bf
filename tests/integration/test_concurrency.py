"""50 concurrent `ainvoke` calls over two replicas, one failing: all complete, and the healthy replica serves them."""

from __future__ import annotations

import asyncio

import pytest
from langchain_core.messages import HumanMessage

from biopipelines.graph.models import ModelFactory
from biopipelines.graph.schemas import IntentResult
from biopipelines.graph.settings import load_settings
from biopipelines.graph.tiers import acall_structured
from tests.integration.fault_server import FaultServer
from tests.integration.test_fault_scenarios import BUDGET_S, GOOD, OFFLINE, profile

pytestmark = pytest.mark.integration

CALLS = 50


@pytest.mark.parametrize("policy", ["least_in_flight", "round_robin"])
def test_fifty_concurrent_calls_with_one_failing_replica(tmp_path, policy):
    server = FaultServer()
    server.answer = GOOD.model_dump_json()
    server.set("bad", "r500")
    server.set("good", "ok")
    path = profile(tmp_path, [server.url("bad"), server.url("good")], replica_policy=policy, cooldown_failures=3)
    factory = ModelFactory(load_settings(path, env={}), env={})
    tiers = factory.tiers("intent")

    async def run_all():
        calls = [acall_structured(tiers, IntentResult, [HumanMessage(f"request {i}")], lambda: OFFLINE, "intent")
                 for i in range(CALLS)]
        return await asyncio.wait_for(asyncio.gather(*calls), BUDGET_S)  # a hang guard, not a speed assertion

    with server.running():
        results = asyncio.run(run_all())

    assert len(results) == CALLS
    assert all(r.tier == "local" and r.value == GOOD and r.endpoint == server.url("good") for r in results)
    assert server.hits["good"] == CALLS
    # The failing replica was tried, then the breaker took it out: far fewer requests than calls.
    assert 1 <= server.hits["bad"] < CALLS
    tried_bad = [r for r in results if r.fallback_reason]
    assert tried_bad and all(server.url("bad") in r.fallback_reason for r in tried_bad)
    assert factory.guard.snapshot()[server.url("good")]["in_flight"] == 0
