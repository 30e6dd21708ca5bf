"""The LLM tier's intent carries the asks: the prompt lists the valid ids, unknown ids are dropped with a warning,
and the planner checks the union of the model's asks and the deterministic reading."""

from __future__ import annotations

import logging

import pytest
from langchain_core.messages import HumanMessage

from biopipelines.core.schemas import IntentResult
from biopipelines.core.settings import load_settings
from biopipelines.llm.factory import ModelFactory
from biopipelines.nodes.deps import NodeDeps
from biopipelines.nodes.intent import IntentNode
from biopipelines.nodes.offline.asks import known_ask_ids
from biopipelines.nodes.planner import PlannerNode
from biopipelines.nodes.safety_in import SafetyInNode
from tests.fakes import ScriptedChatModel

ATAC = "Call ATAC-seq peaks for 3 treated and 3 control mouse samples, paired-end"


@pytest.fixture(scope="module")
def offline() -> NodeDeps:
    settings = load_settings("offline", env={})
    return NodeDeps(settings=settings, models=ModelFactory(settings))


def _faked(offline: NodeDeps, reply: str) -> tuple[NodeDeps, ScriptedChatModel]:
    fake = ScriptedChatModel(script=[reply])
    deps = NodeDeps(settings=offline.settings, models=ModelFactory(offline.settings, injected={"intent": fake}))
    for resource in ("embeddings", "library", "intent_classifier", "retriever"):
        deps.__dict__[resource] = getattr(offline, resource)
    return deps, fake


def _run(deps: NodeDeps, offline: NodeDeps, text: str) -> dict:
    state: dict = {"messages": [HumanMessage(text)]}
    state.update(SafetyInNode(offline)(state))
    state.update(IntentNode(deps)(state))
    return state


def test_the_prompt_lists_every_ask_id_and_marks_types_without_a_recipe(offline):
    answer = IntentResult(intent="generate_workflow", analysis_type="atacseq", confidence=0.9)
    deps, fake = _faked(offline, answer.model_dump_json())
    _run(deps, offline, ATAC)
    prompt = fake.prompt_text(0)
    assert all(f"  {ask}: " in prompt for ask in known_ask_ids())
    assert "spatial_transcriptomics: Spatial transcriptomics" in prompt
    assert "(no recipe: answered as unsupported)" in prompt
    gwas = next(line for line in prompt.splitlines() if line.strip().startswith("gwas: "))
    assert "no recipe" not in gwas  # gwas has a recipe now


def test_model_asks_are_merged_with_the_deterministic_reading_and_unknown_ids_dropped(offline, caplog):
    # the model names motif enrichment (which the patterns do not read here) and an id that does not exist
    reply = ('{"intent": "generate_workflow", "analysis_type": "atacseq", "confidence": 0.9, '
             '"asks": ["motif_enrichment", "make_coffee"]}')
    deps, _ = _faked(offline, reply)
    with caplog.at_level(logging.WARNING, logger="biopipelines.nodes.intent"):
        state = _run(deps, offline, ATAC)
    assert state["routes"][-1].tier == "local"  # the unknown id cost the ask, not the answer
    assert state["intent"].asks == ["peaks", "motif_enrichment"]  # union, vocabulary order
    assert "make_coffee" in caplog.text
    state.update(PlannerNode(offline)(state))
    coverage = {a.ask: a.covered for a in state["plan"].asks}
    assert coverage == {"peaks": True, "motif_enrichment": False}


def test_asks_of_the_wrong_type_send_the_call_down_the_chain(offline):
    deps, _ = _faked(offline, '{"intent": "generate_workflow", "analysis_type": "atacseq", "confidence": 0.9, '
                              '"asks": "peaks"}')
    state = _run(deps, offline, ATAC)
    assert state["routes"][-1].tier == "offline" and state["intent"].asks == ["peaks"]


def test_the_offline_tier_reads_asks_for_workflow_requests_only(offline):
    classify = offline.intent_classifier.classify
    assert classify("Call H3K27ac ChIP-seq peaks in two cell types and run motif enrichment").asks == [
        "peaks", "motif_enrichment"]
    assert classify("What is a TAD?").asks == []
