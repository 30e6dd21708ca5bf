"""50 concurrent calls over two replicas, one failing: all complete, and the healthy replica serves them. Threads, as
LangGraph runs the graph's synchronous nodes under `ainvoke`."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from langchain_core.messages import HumanMessage

from biopipelines.core.schemas import IntentResult
from biopipelines.core.settings import load_settings
from biopipelines.llm.chain import call_structured
from biopipelines.llm.factory import ModelFactory
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

    def call(i: int):
        return call_structured(tiers, IntentResult, [HumanMessage(f"request {i}")], lambda: OFFLINE, "intent")

    with server.running(), ThreadPoolExecutor(CALLS) as pool:
        futures = [pool.submit(call, i) for i in range(CALLS)]
        results = [f.result(timeout=BUDGET_S) for f in futures]  # a hang guard, not a speed assertion

    assert len(results) == CALLS
    assert all(r.tier == "local" and r.value == GOOD and r.endpoint == server.url("good") for r in results)
    assert server.hits["good"] == CALLS
    # The failing replica was tried, then the breaker took it out: far fewer requests than calls.
    assert 1 <= server.hits["bad"] < CALLS
    tried_bad = [r for r in results if r.fallback_reason]
    assert tried_bad and all(server.url("bad") in r.fallback_reason for r in tried_bad)
    assert factory.guard.snapshot()[server.url("good")]["in_flight"] == 0
