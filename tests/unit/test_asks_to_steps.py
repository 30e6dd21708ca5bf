"""An ask the recipe can deliver is delivered: the planner turns on the optional, off-by-default step whose module
makes it (Hi-C loops). An ask the user turned down ("no loop calling") is no ask left undone. And an organism named
like a tool (medaka, the fish) neither requests the tool nor points to the tool's assay."""

from __future__ import annotations

import pytest
from langchain_core.messages import HumanMessage

from biopipelines.core.settings import load_settings
from biopipelines.graph.builder import build_graph
from biopipelines.nodes.offline.intent import OfflineIntentClassifier
from biopipelines.nodes.state import RunContext
from biopipelines.rag.embeddings import embedded_default

HIC_LOOPS = "in situ Hi-C on human fibroblasts, 2 reps. Need contact matrices, TAD calls and loop calls."
HIC_NO_LOOPS = "Hi-C on mouse ES cells, 2 reps: contact matrices and TADs, no loop calling"


@pytest.fixture(scope="module")
def graph():
    return build_graph(load_settings("offline"))


def _run(graph, text: str) -> dict:
    return graph.invoke({"messages": [HumanMessage(text)]}, context=RunContext())


def test_an_ask_for_loops_turns_on_the_loop_step_and_the_workflow_is_complete(graph):
    state = _run(graph, HIC_LOOPS)
    steps = {step.step: step for step in state["plan"].steps}
    assert steps["loops"].module == "hicexplorer_detectloops"
    assert "loops" in steps["loops"].reason
    assert {a.ask: a.covered_by for a in state["asks"]}["loops"] == ["loops"]
    assert state["status"] == "validated"


def test_loops_stay_off_by_default_and_a_declined_ask_is_not_undone(graph):
    state = _run(graph, HIC_NO_LOOPS)
    assert "loops" not in {step.step for step in state["plan"].steps}
    assert "loops" not in {a.ask for a in state["asks"]}
    assert state["status"] == "validated"


@pytest.fixture(scope="module")
def classifier() -> OfflineIntentClassifier:
    return OfflineIntentClassifier(embedded_default())


@pytest.mark.parametrize("text, analysis_type, tools", [
    ("Omni-ATAC on medaka caudal fin regenerates at 3 timepoints, peak calling and QC per library", "atacseq", []),
    ("RNA-seq of Japanese medaka gonads, males vs females, differential expression", "rnaseq_de", []),
    ("Nanopore assembly of a yeast genome, polished with medaka", "longread_assembly", ["medaka"]),
])
def test_medaka_the_fish_is_no_medaka_the_polisher(classifier, text, analysis_type, tools):
    result = classifier.classify(text)
    assert result.analysis_type == analysis_type
    assert result.entities.tools_requested == tools
