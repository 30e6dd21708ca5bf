"""Retries, repair, cooldown and replica order in the tier chain, with scripted models (no network)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from langchain_core.messages import HumanMessage

from biopipelines.core.schemas import IntentResult
from biopipelines.core.settings import RoutingConfig
from biopipelines.llm.chain import call_structured, order_replicas
from biopipelines.llm.endpoint_guard import EndpointCoolingDown, EndpointGuard
from biopipelines.llm.factory import TierModel
from biopipelines.llm.failures import describe
from tests.fakes import ScriptedChatModel

GOOD = IntentResult(intent="generate_workflow", analysis_type="rnaseq_de", confidence=0.8)
OFFLINE = IntentResult(intent="unknown", confidence=0.1)
FAST = dict(retry_initial_s=0.001, retry_max_s=0.002)


class StatusError(RuntimeError):
    def __init__(self, status: int, message: str = "boom") -> None:
        super().__init__(message)
        self.status_code = status


class Clock:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


def tier(script, guard, url="http://a/v1", retries=2, tier_name="local"):
    chat = ScriptedChatModel(script=script, model_name=url)
    return TierModel(tier_name, "m", url, chat, "json_object", guard=guard, max_retries=retries)


def ask(tiers):
    return call_structured(tiers, IntentResult, [HumanMessage("q")], lambda: OFFLINE, "intent")


def test_retryable_status_is_retried_then_served():
    t = tier([StatusError(503), StatusError(500), GOOD.model_dump_json()], EndpointGuard(RoutingConfig(**FAST)))
    served = ask([t])
    assert served.tier == "local" and served.value == GOOD and served.attempts == 3
    assert len(t.chat.calls) == 3


def test_retries_are_bounded():
    t = tier([StatusError(500)], EndpointGuard(RoutingConfig(**FAST, cooldown_failures=10)), retries=1)
    served = ask([t])
    assert served.tier == "offline" and "after 2 attempts: HTTP 500" in served.fallback_reason
    assert len(t.chat.calls) == 2


def test_client_errors_are_not_retried():
    t = tier([StatusError(400, "bad request")], EndpointGuard(RoutingConfig(**FAST)))
    served = ask([t])
    assert served.tier == "offline" and "HTTP 400: bad request" in served.fallback_reason
    assert len(t.chat.calls) == 1


def test_malformed_answer_gets_one_repair_with_the_parse_error():
    t = tier(["not json at all", GOOD.model_dump_json()], EndpointGuard(RoutingConfig(**FAST)))
    served = ask([t])
    assert served.tier == "local" and served.value == GOOD
    repair = t.chat.prompt_text(1)
    assert "not json at all" in repair and "could not be used" in repair
    assert (served.tokens_in, served.tokens_out) == (22, 14)  # both calls are counted


def test_cooldown_opens_after_n_failures_and_recovers():
    clock = Clock()
    guard = EndpointGuard(RoutingConfig(**FAST, cooldown_failures=2, cooldown_window_s=10, cooldown_s=5), clock)
    t = tier([StatusError(500), StatusError(500), GOOD.model_dump_json()], guard, retries=0)
    assert "HTTP 500" in ask([t]).fallback_reason
    assert "HTTP 500" in ask([t]).fallback_reason
    skipped = ask([t])
    assert "skipped, in cooldown" in skipped.fallback_reason and len(t.chat.calls) == 2
    clock.t += 5.1
    assert ask([t]).tier == "local" and len(t.chat.calls) == 3


def test_failures_outside_the_window_do_not_add_up():
    clock = Clock()
    guard = EndpointGuard(RoutingConfig(cooldown_failures=2, cooldown_window_s=10, cooldown_s=5), clock)
    guard.acquire("u")
    guard.release("u", "e1")
    clock.t += 11
    guard.acquire("u")
    guard.release("u", "e2")
    guard.acquire("u")  # still closed: only one failure inside the window
    guard.release("u", "e3")
    with pytest.raises(EndpointCoolingDown):
        guard.acquire("u")


def test_retry_after_sets_the_cooldown():
    clock = Clock()
    guard = EndpointGuard(RoutingConfig(cooldown_failures=5, cooldown_s=30), clock)
    guard.acquire("u")
    guard.release("u", "HTTP 429", retry_after_s=2)
    assert guard.cooling_down("u") == pytest.approx(2)
    clock.t += 2.1
    guard.acquire("u")


def test_replica_order_round_robin_and_least_in_flight():
    rr = EndpointGuard(RoutingConfig(replica_policy="round_robin"))
    a, b = tier(["{}"], rr, "http://a/v1"), tier(["{}"], rr, "http://b/v1")
    firsts = [order_replicas([a, b])[0].endpoint for _ in range(4)]
    assert firsts == ["http://a/v1", "http://b/v1", "http://a/v1", "http://b/v1"]

    lif = EndpointGuard(RoutingConfig(replica_policy="least_in_flight"))
    a, b = tier(["{}"], lif, "http://a/v1"), tier(["{}"], lif, "http://b/v1")
    lif.acquire("http://a/v1")
    assert [order_replicas([a, b])[0].endpoint for _ in range(3)] == ["http://b/v1"] * 3


def test_cooling_replica_goes_last_and_cloud_stays_after_local():
    clock = Clock()
    guard = EndpointGuard(RoutingConfig(cooldown_failures=1), clock)
    a, b = tier(["{}"], guard, "http://a/v1"), tier(["{}"], guard, "http://b/v1")
    cloud = tier(["{}"], guard, "https://cloud/v1", tier_name="cloud")
    guard.acquire("http://a/v1")
    guard.release("http://a/v1", "down")
    assert [t.endpoint for t in order_replicas([a, b, cloud])] == ["http://b/v1", "http://a/v1", "https://cloud/v1"]


def test_concurrent_calls_fall_back_with_reason():
    guard = EndpointGuard(RoutingConfig(**FAST))
    bad, good = tier([StatusError(404, "no such model")], guard, "http://a/v1"), \
        tier([GOOD.model_dump_json()], guard, "http://b/v1")

    with ThreadPoolExecutor(5) as pool:
        results = list(pool.map(lambda _: call_structured([bad, good], IntentResult, [HumanMessage("q")],
                                                          lambda: OFFLINE, "intent"), range(5)))
    assert all(r.tier == "local" and r.endpoint == "http://b/v1" for r in results)
    tried_bad = [r for r in results if r.fallback_reason]  # replicas rotate: some calls went to b first
    assert tried_bad and all("HTTP 404: no such model" in r.fallback_reason for r in tried_bad)


def test_offline_reason_names_every_tier_passed_over():
    guard = EndpointGuard(RoutingConfig(**FAST))
    a = tier([StatusError(400, "first")], guard, "http://a/v1")
    c = tier([StatusError(401, "second")], guard, "https://cloud/v1", tier_name="cloud")
    reason = ask([a, c]).fallback_reason
    assert "http://a/v1" in reason and "HTTP 400: first" in reason and "https://cloud/v1" in reason \
        and "HTTP 401: second" in reason


def test_describe_names_the_root_cause():
    try:
        try:
            raise ConnectionResetError("peer closed")
        except ConnectionResetError as inner:
            raise RuntimeError("Connection error.") from inner
    except RuntimeError as exc:
        assert describe(exc) == "RuntimeError: Connection error. (ConnectionResetError: peer closed)"


def test_cooldown_doubles_while_failures_go_on_and_resets_on_success():
    clock = Clock()
    guard = EndpointGuard(RoutingConfig(cooldown_failures=1, cooldown_s=5, max_cooldown_s=15), clock)
    for expected in (5, 10, 15, 15):
        guard.acquire("u")
        guard.release("u", "down")
        assert guard.cooling_down("u") == pytest.approx(expected)
        clock.t += expected + 0.1
    guard.acquire("u")
    guard.release("u")  # a success
    guard.acquire("u")
    guard.release("u", "down")
    assert guard.cooling_down("u") == pytest.approx(5)


@pytest.mark.parametrize("open_on_timeout, cooling", [(True, True), (False, False)])
def test_a_timeout_opens_the_breaker_at_once_unless_configured_not_to(open_on_timeout, cooling):
    guard = EndpointGuard(RoutingConfig(**FAST, cooldown_failures=3, open_on_timeout=open_on_timeout))
    t = tier([TimeoutError("timed out")], guard, retries=2)
    served = ask([t])
    assert served.tier == "offline" and "TimeoutError" in served.fallback_reason and len(t.chat.calls) == 1
    assert (guard.cooling_down("http://a/v1") > 0) is cooling
