"""Failures answered from the failure cards: the troubleshoot intent, its node, and the card each answer cites.

The questions are written as users paste them (error text, exit codes, symptoms), not as the cards word them.
"""

from __future__ import annotations

import pytest
from langchain_core.messages import HumanMessage

from biopipelines.core.settings import load_settings
from biopipelines.graph.builder import build_graph
from biopipelines.nodes.state import RunContext

QUESTIONS = {
    "My STAR genomeGenerate job died with std::bad_alloc while indexing GRCh38, what now?":
        "troubleshoot-star-out-of-memory",
    "snakemake stops with MissingInputException in rule fastp: Missing input files for rule fastp":
        "troubleshoot-missing-input",
    "Error: Directory cannot be locked. Please make sure that no other Snakemake process is trying to create the "
    "same files":
        "troubleshoot-locked-directory",
    "After the node crashed, snakemake complains about IncompleteFilesException for two BAMs":
        "troubleshoot-incomplete-files",
    "conda has been stuck on Solving environment for an hour when snakemake creates the envs":
        "troubleshoot-conda-solve",
    "sacct shows OUT_OF_MEMORY and exit code 137 for my bwa mem jobs on the cluster":
        "troubleshoot-slurm-out-of-memory",
    "My HaplotypeCaller job was cancelled DUE TO TIME LIMIT on SLURM, how do I fix it?":
        "troubleshoot-slurm-time-limit",
    "bwa mem fails with: fail to locate the index files":
        "troubleshoot-missing-index",
    "featureCounts assigned only 5% of my reads, is the strandedness wrong?":
        "troubleshoot-low-assignment",
    "samtools sort failed: No space left on device in /tmp":
        "troubleshoot-disk-space",
}


@pytest.fixture(scope="module")
def graph():
    return build_graph(load_settings("offline"))


@pytest.mark.parametrize("question", sorted(QUESTIONS))
def test_a_failure_is_answered_from_its_card(graph, question):
    state = graph.invoke({"messages": [HumanMessage(question)]}, context=RunContext())
    assert state["intent"].intent == "troubleshoot"
    assert state["status"] == "not_a_workflow" and not state.get("files")
    cited = [c.card for c in state["expert"].citations]
    assert cited and cited[0] == QUESTIONS[question], cited
    assert QUESTIONS[question] in state["answer"]  # the answer names its source card
    route = next(r for r in state["routes"] if r.node == "troubleshoot")
    assert route.tier == "offline"
