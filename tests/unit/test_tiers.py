"""The tier chain: local -> cloud -> offline through with_fallbacks, with the reason for every fallback."""

import pytest

from biopipelines.core.schemas import IntentResult
from biopipelines.core.settings import load_settings
from biopipelines.llm.chain import call_structured, call_text
from biopipelines.llm.factory import ModelFactory, TierModel
from biopipelines.nodes.offline.safety_rules import parse_guard_verdict
from tests.fakes import ScriptedChatModel

GOOD = IntentResult(intent="generate_workflow", analysis_type="rnaseq_de", confidence=0.8)
OFFLINE = IntentResult(intent="unknown", confidence=0.1)


def tier(script, name="fake", tier_name="local"):
    return TierModel(tier_name, name, f"injected://{name}", ScriptedChatModel(script=script, model_name=name),
                     "json_object")


def test_no_tiers_serves_offline_and_says_why():
    served = call_structured([], IntentResult, [], lambda: OFFLINE, "intent")
    assert served.tier == "offline" and served.value == OFFLINE
    assert served.fallback_reason == "no model configured for role 'intent'"


def test_local_answer_is_parsed_and_counted():
    served = call_structured([tier([GOOD.model_dump_json()])], IntentResult, [], lambda: OFFLINE, "intent")
    assert served.tier == "local" and served.value == GOOD
    assert (served.tokens_in, served.tokens_out) == (11, 7)
    assert served.fallback_reason is None


def test_fenced_json_is_accepted():
    served = call_structured([tier(["```json\n" + GOOD.model_dump_json() + "\n```"])], IntentResult, [],
                             lambda: OFFLINE, "intent")
    assert served.value == GOOD


def test_malformed_answer_falls_to_next_tier_with_reason():
    tiers = [tier(["this is not json"], "broken"), tier([GOOD.model_dump_json()], "cloudy", "cloud")]
    served = call_structured(tiers, IntentResult, [], lambda: OFFLINE, "intent")
    assert served.tier == "cloud" and served.value == GOOD
    assert "broken" in served.fallback_reason and "malformed answer" in served.fallback_reason


def test_server_error_falls_to_offline_with_reason():
    served = call_structured([tier([ConnectionError("refused")])], IntentResult, [], lambda: OFFLINE, "intent")
    assert served.tier == "offline" and served.value == OFFLINE
    assert "ConnectionError: refused" in served.fallback_reason


def test_check_rejects_well_formed_but_unusable_answer():
    def check(value):
        raise ValueError("unknown analysis_type")

    served = call_structured([tier([GOOD.model_dump_json()])], IntentResult, [], lambda: OFFLINE, "intent",
                             check=check)
    assert served.tier == "offline" and "rejected answer: unknown analysis_type" in served.fallback_reason


def test_text_tier_with_strict_parser():
    assert call_text([tier(["unsafe\nS9"])], parse_guard_verdict, [], lambda: (True, []), "safety").value == \
        (False, ["S9"])
    served = call_text([tier(["I think it is fine"])], parse_guard_verdict, [], lambda: (True, []), "safety")
    assert served.tier == "offline" and "not a Llama Guard verdict" in served.fallback_reason


def test_cost_uses_cloud_price():
    from biopipelines.core.model_catalogue import Price

    t = TierModel("cloud", "c", "https://x", ScriptedChatModel(script=[GOOD.model_dump_json()]), "json_object",
                  Price(input=1.0, output=2.0))
    served = call_structured([t], IntentResult, [], lambda: OFFLINE, "intent")
    assert served.cost_usd == pytest.approx((11 * 1.0 + 7 * 2.0) / 1e6)


def test_factory_orders_local_then_cloud_and_skips_cloud_without_key(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text("name: t\nallow_cloud: true\nroles:\n  intent:\n"
                    "    endpoints: [{url: 'http://127.0.0.1:9/v1', model: intent}]\n"
                    "    cloud: {model: deepseek-chat}\n")
    settings = load_settings(str(path), env={})
    with_key = ModelFactory(settings, env={"DEEPSEEK_API_KEY": "k"}).tiers("intent")
    assert [t.tier for t in with_key] == ["local", "cloud"]
    assert [t.tier for t in ModelFactory(settings, env={}).tiers("intent")] == ["local"]
    assert ModelFactory(settings, env={}).tiers("planner") == []


def test_cloud_is_not_used_when_profile_forbids_it(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text("name: t\nallow_cloud: false\nroles:\n  intent:\n    cloud: {model: deepseek-chat}\n")
    assert ModelFactory(load_settings(str(path), env={}), env={"DEEPSEEK_API_KEY": "k"}).tiers("intent") == []


def test_injected_fake_stands_in_for_local_tier():
    fake = ScriptedChatModel(script=["{}"])
    tiers = ModelFactory(load_settings(env={}), injected={"coder": fake}).tiers("coder")
    assert [(t.tier, t.chat) for t in tiers] == [("local", fake)]
