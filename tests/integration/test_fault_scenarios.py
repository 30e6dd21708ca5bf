"""Each fault of a real OpenAI-compatible endpoint ends in the right tier, with the reason, within the time budget."""

from __future__ import annotations

import pytest
import yaml
from langchain_core.messages import HumanMessage

from biopipelines.core.schemas import IntentResult
from biopipelines.core.settings import load_settings
from biopipelines.llm.chain import call_structured
from biopipelines.llm.factory import ModelFactory
from tests.integration.fault_server import FaultServer, refused_url

pytestmark = pytest.mark.integration

GOOD = IntentResult(intent="generate_workflow", analysis_type="rnaseq_de", confidence=0.9)
OFFLINE = IntentResult(intent="unknown", confidence=0.1)
TIMEOUT_S = 1.5
BUDGET_S = 20.0  # the profile's time budget; bench/fault_budget.py measures each scenario against it


@pytest.fixture(scope="module")
def fault():
    server = FaultServer()
    server.answer = GOOD.model_dump_json()
    server.slow_s = TIMEOUT_S * 2
    with server.running():
        yield server


def profile(tmp_path, urls: list[str], *, cloud: bool = False, retries: int = 1, budget_s: float = BUDGET_S,
            timeout_s: float = TIMEOUT_S, **routing) -> str:
    endpoints = [{"url": u, "model": "served", "structured_output": "json_schema", "timeout_s": timeout_s,
                  "connect_timeout_s": 1.0, "max_retries": retries} for u in urls]
    role = {"endpoints": endpoints}
    if cloud:
        role["cloud"] = {"model": "gpt-4o-mini", "structured_output": "json_schema", "timeout_s": TIMEOUT_S}
    data = {"name": "faults", "allow_cloud": cloud, "time_budget_s": budget_s, "offline_reserve_s": 5.0,
            "routing": {"retry_initial_s": 0.05, "retry_max_s": 0.2, **routing}, "roles": {"intent": role}}
    path = tmp_path / "faults.yaml"
    path.write_text(yaml.safe_dump(data))
    return str(path)


def ask(factory: ModelFactory):
    return call_structured(factory.tiers("intent"), IntentResult, [HumanMessage("RNA-seq DE please")],
                           lambda: OFFLINE, "intent")


def factory_for(tmp_path, urls, **kw) -> ModelFactory:
    return ModelFactory(load_settings(profile(tmp_path, urls, **kw), env={}), env={})


def test_healthy_endpoint_serves_locally_with_tokens(tmp_path, fault):
    served = ask(factory_for(tmp_path, [fault.url("ok")]))
    assert (served.tier, served.value, served.endpoint) == ("local", GOOD, fault.url("ok"))
    assert (served.tokens_in, served.tokens_out, served.attempts) == (20, 10, 1)
    assert served.fallback_reason is None


@pytest.mark.parametrize("name, reason, hits", [
    ("r500", "HTTP 500", 2),          # retried once (max_retries=1), then down the chain
    ("r429", "HTTP 429", 2),               # Retry-After 1s is short enough to wait for, once
    ("slow", "Timeout", 1),                      # a timeout is not retried: the budget matters more
    ("cut", "RemoteProtocolError", 1),         # the body stops mid-answer
    ("malformed", "malformed answer", 2),        # one repair attempt with the parse error, then down the chain
    ("wrong_model", "HTTP 404", 1),         # the served name does not match the profile: not retried
])
def test_fault_falls_to_offline_with_reason(tmp_path, fault, name, reason, hits):
    before = fault.hits[name]
    served = ask(factory_for(tmp_path, [fault.url(name)]))
    assert served.tier == "offline" and served.value == OFFLINE
    assert reason in served.fallback_reason and fault.url(name) in served.fallback_reason
    assert fault.hits[name] - before == hits


def test_connection_refused_falls_to_offline(tmp_path):
    url = refused_url()
    served = ask(factory_for(tmp_path, [url]))
    assert served.tier == "offline" and url in served.fallback_reason
    assert "ConnectionRefusedError" in served.fallback_reason


def test_429_asking_for_a_long_wait_is_not_retried(tmp_path, fault):
    fault.retry_after = 60
    try:
        before = fault.hits["r429"]
        served = ask(factory_for(tmp_path, [fault.url("r429")], max_retry_after_s=2))
        assert served.tier == "offline" and "Retry-After 60s" in served.fallback_reason
        assert fault.hits["r429"] - before == 1
    finally:
        fault.retry_after = 1


def test_failing_replica_then_healthy_replica(tmp_path, fault):
    served = ask(factory_for(tmp_path, [fault.url("r500"), fault.url("ok")], replica_policy="round_robin"))
    assert served.tier == "local" and served.endpoint == fault.url("ok")


def test_cloud_tier_serves_when_local_is_down(tmp_path, fault, monkeypatch):
    """The cloud tier is a real ChatOpenAI client too; here its base URL is the fault server's healthy prefix."""
    from biopipelines.core.model_catalogue import CloudModel, ModelCatalogue, Price, default_catalogue

    cat = default_catalogue()
    cloud = CloudModel(id="gpt-4o-mini", provider="test", base_url=fault.url("ok"), api_key_env="TEST_KEY",
                       price_per_mtok=Price(input=1.0, output=2.0))
    catalogue = ModelCatalogue(models=cat.models, cloud_models=[cloud])
    settings = load_settings(profile(tmp_path, [fault.url("hang")], cloud=True), env={})
    served = ask(ModelFactory(settings, catalogue, env={"TEST_KEY": "k"}))
    assert served.tier == "cloud" and served.value == GOOD
    assert "Timeout" in served.fallback_reason and fault.url("hang") in served.fallback_reason
    assert served.cost_usd == pytest.approx((20 * 1.0 + 10 * 2.0) / 1e6)


def test_context_too_long_for_local_goes_to_next_tier(tmp_path, fault):
    path = profile(tmp_path, [fault.url("ok")])
    data = yaml.safe_load(open(path))
    data["roles"]["intent"]["endpoints"][0]["context_tokens"] = 50
    open(path, "w").write(yaml.safe_dump(data))
    before = fault.hits["ok"]
    served = call_structured(ModelFactory(load_settings(path, env={}), env={}).tiers("intent"), IntentResult,
                             [HumanMessage("word " * 400)], lambda: OFFLINE, "intent")
    assert served.tier == "offline" and "context too long" in served.fallback_reason
    assert fault.hits["ok"] == before  # never sent


EXPLAIN = IntentResult(intent="explain", analysis_type="rnaseq_de", confidence=0.9)


@pytest.mark.parametrize("name, expect", [("stream_ok", "local"), ("cut", "offline")])
def test_streamed_tokens_reach_the_graph_stream_and_a_cut_stream_falls_back(tmp_path, fault, name, expect):
    """With stream_mode="messages" ChatOpenAI streams (SSE); a stream cut mid-answer ends in the offline tier."""
    from biopipelines.graph import build_graph

    fault.scripts["stream_ok"] = [EXPLAIN.model_dump_json()]  # a question: the offline reading agrees
    before = len(fault.requests.get(name, []))
    # A fresh graph pays inside its first turn for the embedder and for the client's first streamed answer
    # (openai builds its pydantic types lazily); a loaded machine makes both slow, so the limits are wide here.
    settings = load_settings(profile(tmp_path, [fault.url(name)], budget_s=300.0, timeout_s=60.0), env={})
    graph = build_graph(settings)
    chunks, state = [], {}
    for mode, chunk in graph.stream({"messages": [HumanMessage("what does DESeq2 do?")]},
                                    stream_mode=["messages", "values"]):
        if mode == "messages" and chunk[1].get("langgraph_node") == "intent":
            chunks.append(chunk[0].content)
        elif mode == "values":
            state = chunk
    assert all(body.get("stream") for body in fault.requests[name][before:])
    intent = next(r for r in state["routes"] if r.node == "intent")
    assert intent.tier == expect, intent.fallback_reason
    if expect == "local":
        assert "".join(chunks) == EXPLAIN.model_dump_json() and len(chunks) > 1
    else:
        assert "ConnectionError" in intent.fallback_reason or "incomplete" in intent.fallback_reason.lower(), \
            intent.fallback_reason
