"""Multi-turn refinement through the compiled graph (offline profile, MemorySaver checkpointer).

Three follow-ups change the aligner, the read layout and the DE contrast of the first turn's workflow; each turn's
workflow goes through the real validator (snakemake --lint and a dry run) and must validate.
"""

from __future__ import annotations

import yaml
import pytest
from langchain_core.messages import HumanMessage
from langgraph.checkpoint.memory import MemorySaver

from biopipelines.core.settings import load_settings
from biopipelines.graph.builder import build_graph
from biopipelines.nodes.state import RunContext


@pytest.fixture(scope="module")
def thread():
    graph = build_graph(load_settings("offline"), checkpointer=MemorySaver())
    config = {"configurable": {"thread_id": "refine"}}

    def ask(text: str) -> dict:
        graph.invoke({"messages": [HumanMessage(text)]}, config, context=RunContext())
        return graph.get_state(config).values

    return ask


def _config(state: dict) -> dict:
    return yaml.safe_load(state["files"]["config/config.yaml"])


def _tools(state: dict) -> list[str]:
    return [s.tool for s in state["plan"].steps]


def _samples_tsv(state: dict) -> str:
    return state["files"]["config/samples.tsv"]


def test_three_turn_refinement_changes_aligner_layout_and_contrast(thread) -> None:
    first = thread("RNA-seq differential expression for mouse liver, 3 knockout vs 3 wild type, paired-end, "
                   "STAR and DESeq2")
    assert first["status"] == "validated", first.get("answer")
    assert first["intent"].intent == "generate_workflow"
    assert "STAR" in _tools(first) and "HISAT2" not in _tools(first)
    assert first["plan"].read_layout == "paired"
    assert _config(first)["de"]["contrast"] == ["condition", "knockout", "wild_type"]

    # turn 2: the aligner; everything else is kept from turn 1
    second = thread("use HISAT2 instead of STAR in that workflow")
    assert second["status"] == "validated", second.get("answer")
    assert second["intent"].intent == "modify_workflow"
    assert "HISAT2" in _tools(second) and "STAR" not in _tools(second)
    assert second["plan"].read_layout == "paired"
    assert second["plan"].organism == "mouse"
    assert "hisat2" in second["files"]["workflow/Snakefile"].lower() or any(
        "hisat2" in path for path in second["files"])
    assert _config(second)["de"]["contrast"] == ["condition", "knockout", "wild_type"]

    # turn 3: the read layout (a short follow-up that names no assay resolves to the thread's plan)
    third = thread("make it single-end")
    assert third["status"] == "validated", third.get("answer")
    assert third["intent"].intent == "modify_workflow" and third["intent"].analysis_type == "rnaseq_de"
    assert not third["intent"].needs_clarification
    assert third["plan"].read_layout == "single"
    assert _config(third)["read_layout"] == "single"
    assert "fq2" not in _samples_tsv(third).splitlines()[0].split("\t")
    assert "HISAT2" in _tools(third)  # the turn-2 choice survives

    # turn 4: the DE contrast, with new condition names; layout and aligner survive
    fourth = thread("change the contrast to treated vs control")
    assert fourth["status"] == "validated", fourth.get("answer")
    assert fourth["intent"].intent == "modify_workflow"
    assert _config(fourth)["de"]["contrast"] == ["condition", "treated", "control"]
    conditions = [line.split("\t")[1] for line in _samples_tsv(fourth).splitlines()[1:]]
    assert sorted(conditions) == ["control"] * 3 + ["treated"] * 3
    assert fourth["plan"].read_layout == "single" and "HISAT2" in _tools(fourth)
    assert all(check.ok for check in fourth["validation"])
