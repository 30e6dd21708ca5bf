""""A or B" is a choice: the first alternative the recipe can run is used and the answer names the others; a tool
the library lacks counts against the request only when nothing offered can run (library/choices.py)."""

from __future__ import annotations

import pytest
from langchain_core.messages import HumanMessage

from biopipelines.core.schemas import Entities
from biopipelines.library import UnsupportedAnalysis, load_library


@pytest.fixture(scope="module")
def library():
    return load_library()


def _modules(plan) -> dict[str, str]:
    return {s.step: s.module for s in plan.steps}


def test_the_first_alternative_wins_and_a_combination_stays_an_option(library):
    plan = library.plan("bisulfite_methylation", Entities(tool_choices=[["bismark", "bwa_meth+methyldackel"]]))
    assert _modules(plan)["align"] == "bismark_align"
    assert plan.offered == ["You offered a choice (Bismark or bwa-meth + MethylDackel): this workflow uses Bismark. "
                            "The other option: bwa-meth + MethylDackel (ask for it to switch)."]
    assert plan.offered[0] in plan.notes


def test_a_missing_alternative_is_named_as_such_and_does_not_refuse(library):
    plan = library.plan("rnaseq_de", Entities(tool_choices=[["star", "rsem", "hisat2", "salmon"]]))
    assert _modules(plan)["align"] == "star_align" and "salmon_quant" not in _modules(plan).values()
    assert "rsem (not in the module library), HISAT2 and Salmon" in plan.offered[0]


def test_the_first_alternative_the_library_has_is_used(library):
    plan = library.plan("rnaseq_de", Entities(tool_choices=[["rsem", "hisat2"]]))
    assert _modules(plan)["align"] == "hisat2_align"


def test_a_list_before_the_choice_keeps_its_other_steps(library):
    """"fastp, STAR or HISAT2": fastp trims, STAR aligns, HISAT2 is the option left."""
    plan = library.plan("rnaseq_de", Entities(tool_choices=[["fastp", "star", "hisat2"]]))
    assert _modules(plan)["trim"] == "fastp" and _modules(plan)["align"] == "star_align"
    assert "The other option: HISAT2" in plan.offered[0]


def test_when_nothing_offered_can_run_the_first_is_requested_as_usual(library):
    with pytest.raises(UnsupportedAnalysis, match="no tool called 'rsem'"):
        library.plan("rnaseq_de", Entities(tool_choices=[["rsem", "cufflinks"]]))


@pytest.fixture(scope="module")
def graph():
    from biopipelines.graph.builder import build_graph
    from biopipelines.core.settings import load_settings

    return build_graph(load_settings("offline"))


@pytest.mark.parametrize(("text", "tool", "others"), [
    ("Methylation analysis using Bismark or bwa-meth + MethylDackel", "Bismark", "bwa-meth + MethylDackel"),
    ("RNA-seq analysis using STAR, RSEM, HISAT2 or Salmon with gene/isoform counts", "STAR", "HISAT2 and Salmon"),
])
def test_the_issue_requests_give_validated_workflows(graph, text, tool, others):
    from biopipelines.nodes.state import RunContext

    state = graph.invoke({"messages": [HumanMessage(text)]}, context=RunContext())
    assert state["status"] == "validated", state["answer"]
    assert f"this workflow uses {tool}" in state["answer"] and others in state["answer"]


def test_the_16s_request_is_validated_not_refused(graph):
    from biopipelines.nodes.state import RunContext

    state = graph.invoke({"messages": [HumanMessage("Create a metagenomics workflow for 16S rRNA analysis")]},
                         context=RunContext())
    assert state["status"] == "validated", state["answer"]
    assert "workflow/rules/vsearch_filter.smk" in state["files"]


def test_a_model_that_requests_every_alternative_is_reconciled_with_the_offline_choice():
    from biopipelines.core.schemas import IntentResult
    from biopipelines.nodes.intent import reconcile

    model = IntentResult(intent="generate_workflow", analysis_type="bisulfite_methylation", confidence=0.9,
                         entities=Entities(tools_requested=["bismark", "bwa_meth", "methyldackel", "fastqc"]))
    offline = IntentResult(intent="generate_workflow", analysis_type="bisulfite_methylation", confidence=0.9,
                           entities=Entities(tool_choices=[["bismark", "bwa_meth+methyldackel"]]))
    entities = reconcile(model, offline, veto_confidence=0.8).entities
    assert entities.tools_requested == ["fastqc"]
    assert entities.tool_choices == [["bismark", "bwa_meth+methyldackel"]]
