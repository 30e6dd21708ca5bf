"""Hard limits on model attempts: the endpoint's total timeout and the turn's time budget (llm/deadline.py).

A model that never answers is cut off, and the call is served by the next tier with the reason in the route entry;
once the budget is spent, no endpoint is even contacted. The limits here are fractions of a second and the model
blocks until released, so nothing depends on how fast this machine is.
"""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import BaseMessage
from langchain_core.outputs import ChatResult
from pydantic import Field

from biopipelines.core.schemas import IntentResult
from biopipelines.core.settings import RoutingConfig
from biopipelines.llm.chain import call_structured
from biopipelines.llm.deadline import AttemptTimeout, BudgetSpent, attempt_limit, call_within
from biopipelines.llm.endpoint_guard import EndpointGuard
from biopipelines.llm.factory import TierModel

OFFLINE = IntentResult(intent="unknown", confidence=0.1)


class HangingChatModel(BaseChatModel):
    """Accepts the call and never answers until `release` is set (a server that accepts and stalls)."""

    release: Any = Field(default_factory=threading.Event)
    calls: int = 0

    @property
    def _llm_type(self) -> str:
        return "hanging"

    def _generate(self, messages: list[BaseMessage], stop=None, run_manager=None, **kwargs: Any) -> ChatResult:
        self.calls += 1
        self.release.wait(30)
        raise RuntimeError("released")


@pytest.fixture()
def hanging():
    model = HangingChatModel()
    yield model
    model.release.set()  # let abandoned worker threads finish


def tier(model: BaseChatModel, timeout_s: float | None = None, guard: EndpointGuard | None = None) -> TierModel:
    return TierModel("local", "stalls", "http://127.0.0.1:9/v1", model, "json_object", guard=guard,
                     timeout_s=timeout_s)


def test_the_limit_is_the_smaller_of_endpoint_timeout_and_budget_left():
    assert attempt_limit(None, None) == (None, AttemptTimeout)
    assert attempt_limit(60.0, None) == (60.0, AttemptTimeout)
    limit, error = attempt_limit(60.0, time.time() + 5)
    assert error is BudgetSpent and 0 < limit <= 5
    assert attempt_limit(2.0, time.time() + 50)[1] is AttemptTimeout
    with pytest.raises(BudgetSpent, match="time budget spent"):
        attempt_limit(60.0, time.time() - 1)


def test_call_within_returns_raises_and_abandons():
    assert call_within(lambda: 42, 5.0, AttemptTimeout) == 42
    with pytest.raises(ValueError, match="boom"):
        call_within(lambda: (_ for _ in ()).throw(ValueError("boom")), 5.0, AttemptTimeout)
    stall = threading.Event()
    with pytest.raises(AttemptTimeout, match="total timeout of 0.2s"):
        call_within(lambda: stall.wait(30), 0.2, AttemptTimeout)
    stall.set()


def test_a_stalled_model_is_cut_off_at_its_total_timeout(hanging):
    served = call_structured([tier(hanging, timeout_s=0.3)], IntentResult, [], lambda: OFFLINE, "intent")
    assert served.tier == "offline" and served.value == OFFLINE
    assert "AttemptTimeout" in served.fallback_reason and "total timeout" in served.fallback_reason


def test_a_stalled_model_is_cut_off_when_the_budget_runs_out(hanging):
    served = call_structured([tier(hanging, timeout_s=60)], IntentResult, [], lambda: OFFLINE, "intent",
                             deadline=time.time() + 0.3)
    assert served.tier == "offline" and "time budget spent" in served.fallback_reason


def test_a_spent_budget_contacts_no_endpoint_and_records_no_failure(hanging):
    guard = EndpointGuard(RoutingConfig())
    served = call_structured([tier(hanging, timeout_s=60, guard=guard)], IntentResult, [], lambda: OFFLINE,
                             "intent", deadline=time.time() - 0.1)
    assert served.tier == "offline" and "time budget spent" in served.fallback_reason
    assert hanging.calls == 0
    assert guard.snapshot() == {}  # never acquired: no connection, no failure, nothing in flight


def test_a_budget_cut_leaves_the_endpoint_healthy(hanging):
    guard = EndpointGuard(RoutingConfig(cooldown_failures=1))
    call_structured([tier(hanging, timeout_s=60, guard=guard)], IntentResult, [], lambda: OFFLINE, "intent",
                    deadline=time.time() + 0.2)
    state = guard.snapshot()["http://127.0.0.1:9/v1"]
    assert state == {"in_flight": 0, "recent_failures": 0, "cooldown_left_s": 0.0}


def test_concurrent_calls_share_the_deadline(hanging):
    deadline = time.time() + 0.3
    with ThreadPoolExecutor(5) as pool:
        served = list(pool.map(lambda _: call_structured([tier(hanging, timeout_s=60)], IntentResult, [],
                                                         lambda: OFFLINE, "intent", deadline=deadline), range(5)))
    assert all(s.tier == "offline" and "time budget spent" in s.fallback_reason for s in served)
