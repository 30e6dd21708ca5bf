"""The intent escalation policy (config/intent.yaml): thresholds, multi-step detection, chain order, bad config."""

from __future__ import annotations

import pytest
from langchain_core.messages import HumanMessage

from biopipelines.core.errors import ConfigError
from biopipelines.core.schemas import IntentResult
from biopipelines.core.settings import load_settings
from biopipelines.llm.factory import ModelFactory, TierModel
from biopipelines.nodes.deps import NodeDeps
from biopipelines.nodes.intent import IntentNode
from biopipelines.nodes.intent_policy import INTENT_CONFIG, EscalationPolicy, load_intent_config
from tests.fakes import ScriptedChatModel


@pytest.fixture(scope="module")
def policy() -> EscalationPolicy:
    return EscalationPolicy(load_intent_config())


def _reading(intent: str, confidence: float) -> IntentResult:
    return IntentResult(intent=intent, confidence=confidence)


def _tier(tier: str, name: str) -> TierModel:
    return TierModel(tier, name, f"injected://{name}", ScriptedChatModel(script=["{}"], model_name=name),
                     "json_object")


def test_shipped_config_holds_the_seed_thresholds() -> None:
    t = load_intent_config().escalation
    assert (t.code_local_above, t.question_local_above, t.escalate_below) == (0.8, 0.9, 0.7)


@pytest.mark.parametrize(("intent", "confidence", "route"), [
    ("generate_workflow", 0.85, "local"),  # code task above 0.8
    ("generate_workflow", 0.80, "escalate"),  # not above
    ("modify_workflow", 0.75, "escalate"),
    ("explain", 0.95, "local"),  # simple question above 0.9
    ("explain", 0.85, "escalate"),  # a question needs more than a code task
    ("statistics", 0.91, "local"),
    ("unknown", 0.72, "local"),  # neither: only the 0.7 floor applies
    ("unknown", 0.65, "escalate"),
])
def test_thresholds(policy: EscalationPolicy, intent: str, confidence: float, route: str) -> None:
    assert policy.decide("run it", _reading(intent, confidence)).route == route


def test_multi_step_requests_escalate_whatever_the_confidence(policy: EscalationPolicy) -> None:
    text = "Align my exomes with BWA, then call variants with GATK. Also explain why BQSR matters?"
    decision = policy.decide(text, _reading("generate_workflow", 0.99))
    assert decision.route == "escalate" and "multi-step" in decision.reason
    single = "RNA-seq DE for mouse liver, 3 knockout vs 3 wild type, STAR and DESeq2"
    assert policy.decide(single, _reading("generate_workflow", 0.99)).route == "local"


def test_escalation_prefers_the_cloud_when_the_profile_has_one(policy: EscalationPolicy) -> None:
    own = [_tier("local", "intent-1.5b"), _tier("cloud", "deepseek-chat")]
    strongest = [_tier("local", "planner-7b")]
    low = policy.decide("x", _reading("generate_workflow", 0.5))
    assert [t.model_name for t in policy.chain(low, own, strongest)] == ["deepseek-chat", "intent-1.5b"]
    high = policy.decide("x", _reading("generate_workflow", 0.95))
    assert [t.model_name for t in policy.chain(high, own, strongest)] == ["intent-1.5b", "deepseek-chat"]


def test_escalation_without_cloud_goes_to_the_strongest_local_model(policy: EscalationPolicy) -> None:
    own = [_tier("local", "intent-1.5b")]
    low = policy.decide("x", _reading("explain", 0.5))
    assert [t.model_name for t in policy.chain(low, own, [_tier("local", "planner-7b")])] == [
        "planner-7b", "intent-1.5b"]
    # the same endpoint is not tried twice
    assert [t.model_name for t in policy.chain(low, own, own)] == ["intent-1.5b"]


def test_the_node_sends_an_unsure_request_to_the_strongest_local_model() -> None:
    """Through the model factory: intent and planner are two injected models; a vague request goes to the planner's."""
    settings = load_settings("offline", env={})
    answer = IntentResult(intent="generate_workflow", analysis_type=None, confidence=0.6).model_dump_json()
    intent_model = ScriptedChatModel(script=[answer], model_name="intent-small")
    planner_model = ScriptedChatModel(script=[answer], model_name="planner-big")
    deps = NodeDeps(settings=settings, models=ModelFactory(settings, injected={"intent": intent_model,
                                                                            "planner": planner_model}))
    node = IntentNode(deps)
    vague = "hmm, the data from last week, could you look at it and then maybe do something with the counts?"
    update = node({"request": vague, "turn": 1, "messages": [HumanMessage(vague)]})
    assert update["routes"][0].model == "planner-big"
    assert len(planner_model.calls) == 1 and intent_model.calls == []

    clear = "RNA-seq differential expression for mouse liver, 3 knockout vs 3 wild type, STAR and DESeq2"
    confident = IntentResult(intent="generate_workflow", analysis_type="rnaseq_de", confidence=0.95)
    intent_model.script[:] = [confident.model_dump_json()]
    update = node({"request": clear, "turn": 1, "messages": [HumanMessage(clear)]})
    assert update["routes"][0].model == "intent-small" and len(planner_model.calls) == 1


@pytest.mark.parametrize(("text", "problem"), [
    ("escalation: [1, 2", "YAML syntax error"),
    ("{}", "escalation: Field required"),
    (INTENT_CONFIG.read_text().replace("code_local_above: 0.8", "code_local_above: 1.8"),
     "escalation.code_local_above"),
    (INTENT_CONFIG.read_text().replace("min_asks: 2", "min_asks: 2\n  colour: blue"), "multi_step.colour"),
    (INTENT_CONFIG.read_text().replace("code_intents: [generate_workflow", "code_intents: [make_tea"),
     "escalation.code_intents.0"),
    (INTENT_CONFIG.read_text().replace("knn_only_similarity: 0.55", "knn_only_similarity: 1.5"),
     "open_set.knn_only_similarity"),
    (INTENT_CONFIG.read_text().replace("tie_ratio: 0.6", "tie_ratio: high"), "open_set.tie_ratio"),
])
def test_bad_config_names_file_key_and_problem(tmp_path, text: str, problem: str) -> None:
    path = tmp_path / "intent.yaml"
    path.write_text(text)
    with pytest.raises(ConfigError) as err:
        load_intent_config(path)
    assert str(path) in str(err.value) and problem in str(err.value)
    assert "\n" not in str(err.value)


def test_missing_config_is_a_config_error(tmp_path) -> None:
    with pytest.raises(ConfigError, match="cannot read"):
        load_intent_config(tmp_path / "absent.yaml")
