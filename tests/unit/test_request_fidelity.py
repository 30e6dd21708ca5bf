"""Request fidelity through the compiled graph (offline profile): never a workflow of another analysis.

tests/data/field_tasks.jsonl holds 583 field-style requests (69 assays, most outside the catalogue) in eight splits:
- dev (83, our own words), then dev2 (100), dev3 (99) and dev4 (80), written blind by helpers that saw only the
  taxonomy, the ask ids and each recipe's deliverables: tuned on;
- holdout (41, our own words), holdout2, holdout3 and holdout4 (60 each, written blind like dev2-dev4): each frozen
  in a commit before the tuning round it measures, measured once, and spent after its misses were read. Their clean
  figures are in the docstrings and xfail reasons below; the tests keep what was reached since as a regression floor.
- A label follows the library: where a recipe comes to deliver an ask it could not (Hi-C loops, now turned on when
  asked), the rows' status follows the brief's rule (validated when the recipe delivers every ask).
`biopipelines eval FILE --generate --split S` prints the same figures per split.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from langchain_core.messages import HumanMessage

from biopipelines.core.settings import load_settings
from biopipelines.graph.builder import build_graph
from biopipelines.graph.evaluation import Evaluator, load_rows, report
from biopipelines.nodes.intent import analysis_type_slugs
from biopipelines.nodes.state import RunContext

FIELD_TASKS = Path(__file__).resolve().parents[1] / "data" / "field_tasks.jsonl"

# The module fixture generates and validates every row (~600 snakemake runs); its time counts against the first test.
pytestmark = pytest.mark.timeout(2400)

NON_REQUESTS = [
    "Earlier I asked about downloading viruses, remember?",
    "Did you already make an ATAC workflow for me last week?",
    "Can you show me the workflow you generated yesterday?",
    "Monitor my pipeline execution.",
    "Cancel job 4481 on the cluster.",
    "My STAR alignment failed with an out of memory error, what should I do?",
    "Thanks, that workflow looked great.",
    "What is the difference between a TAD and a compartment?",
    "How many reads do I need per sample for bulk RNA-seq?",
    "Is my RNA-seq job still running on the cluster?",
    "Which aligner did you pick for the chicken ChIP-seq workflow last week?",
    "Is it true that ATAC-seq needs no input control? We are planning libraries for 12 samples.",
    "My Hi-C pipeline has been stuck at 80% for six hours, is it hung?",
    "Could you send me again the MultiQC report from our RNA-seq run on Monday?",
]


@pytest.fixture(scope="module")
def graph():
    return build_graph(load_settings("offline"))


@pytest.fixture(scope="module")
def field_report() -> dict:
    settings = load_settings("offline")
    evaluator = Evaluator(settings, generate=True)
    return report(evaluator.run(load_rows(FIELD_TASKS, analysis_type_slugs())))


def _ask(graph, text: str) -> dict:
    return graph.invoke({"messages": [HumanMessage(text)]}, context=RunContext())


@pytest.mark.parametrize("text", NON_REQUESTS)
def test_a_non_request_gets_an_answer_and_no_workflow(graph, text):
    state = _ask(graph, text)
    assert state["status"] == "not_a_workflow", (state["status"], state["intent"].intent)
    assert not state.get("plan") and not state.get("files")
    assert state["answer"].strip()


def test_the_field_set_is_wide_and_its_holdout_frozen():
    rows = load_rows(FIELD_TASKS, analysis_type_slugs())
    holdout = [r for r in rows if r.split == "holdout"]
    assays = {r.analysis_type for r in rows if r.analysis_type}
    uncovered = {r.analysis_type for r in rows if r.status == "unsupported"}
    assert len(rows) >= 120 and len(holdout) >= 40 and len(assays) >= 40 and len(uncovered) >= len(assays) / 2
    assert all(sum(r.split == s for r in rows) >= 40 for s in ("holdout2", "holdout3", "holdout4"))


SPLITS = ["dev", "dev2", "dev3", "dev4", "holdout", "holdout2", "holdout3", "holdout4"]


@pytest.mark.parametrize("split", SPLITS)
def test_no_workflow_of_the_wrong_analysis(field_report, split):
    """Clean first measurements (blind splits, before their misses were read): holdout 1 of 41, holdout2 3 of 60
    (5 before the dev2 round), holdout3 4 of 60 (6 before the dev3 round), holdout4 2 of 60 (two non-requests: a
    question about a past run's genome build, an "is it true that ..." question) and dev4 7 of 80 before the dev4
    round. The issue's bar is 0."""
    fidelity = field_report["splits"][split]["fidelity"]
    assert fidelity["wrong_analysis"] == 0, fidelity["wrong_analysis_rows"]


@pytest.mark.parametrize("split", SPLITS)
def test_assays_outside_the_catalogue_are_recognised_by_name(field_report, split):
    """Most uncovered requests end `unsupported` naming their own assay, not a low-similarity lookalike."""
    summary = field_report["splits"][split]
    confusion = summary["fidelity"]["status_confusion"]["unsupported"]
    assert confusion.get("unsupported", 0) / sum(confusion.values()) >= 0.85, confusion
    assert summary["analysis_type_accuracy"] >= 0.9


def test_an_unsupported_answer_names_the_assay_and_what_the_closest_recipe_would_not_do(graph):
    state = _ask(graph, "Normalise the Illumina EPIC methylation array IDATs of 24 blood samples and find "
                        "differentially methylated probes between cases and controls")
    assert state["status"] == "unsupported" and not state.get("files")
    assert "DNA methylation arrays" in state["answer"] and "bisulfite_methylation" in state["answer"]
    assert "not array IDAT files" in state["answer"]


def test_a_partial_workflow_says_what_it_does_not_do(graph):
    state = _ask(graph, "Call H3K4me1 peaks in ChIP-seq of two mouse cell types with inputs, then run motif "
                        "enrichment on the peaks")
    assert state["status"] == "partial"
    asks = {a.ask: a for a in state["plan"].asks}
    assert asks["peaks"].covered_by and not asks["motif_enrichment"].covered_by
    assert state["answer"].startswith("Partial:") and "motif enrichment" in state["answer"]
    readme = state["files"]["README.md"]
    assert readme.index("**Not done:**") < readme.index("## Steps") and "motif enrichment" in readme


def test_report_json_lists_each_ask_and_its_steps(graph):
    from biopipelines.graph.report import build_report, exit_code

    state = _ask(graph, "Differential expression for 4 vs 4 human samples with DESeq2, then gene set enrichment "
                        "analysis of the results")
    report = build_report(state, "offline")
    assert report["status"] == "partial" and exit_code(report["status"]) == 5
    by_ask = {a["ask"]: a["covered_by"] for a in report["asks"]}
    assert by_ask["differential_expression"] and by_ask["gene_set_enrichment"] is None


ASK_RECALL_SHORT = ("ask-coverage recall is under the issue's 0.9 on this blind split; clean first figures: holdout2 "
                    "P 0.971 R 0.623 (0.977 / 0.811 after the dev2 round), holdout3 P 0.970 R 0.628 (0.972 / 0.686 "
                    "after the dev3 round); after the dev4 round holdout2 R 0.87, holdout3 R 0.86: deliverables "
                    "written in words the ask vocabulary lacks. holdout4, written later, was clean at P 0.964 R 0.915")


@pytest.mark.parametrize("split", ["dev", "dev2", "dev3", "dev4", "holdout", "holdout4", *(
    pytest.param(s, marks=pytest.mark.xfail(strict=True, reason=ASK_RECALL_SHORT)) for s in ("holdout2", "holdout3"))])
def test_ask_coverage_precision_and_recall(field_report, split):
    asks = field_report["splits"][split]["asks"]
    assert asks["coverage_precision"] >= 0.9 and asks["coverage_recall"] >= 0.9, asks
