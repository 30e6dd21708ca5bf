"""Ask-coverage precision and recall (graph/evaluation.py) on a tiny synthetic set, and the ask labels' checks."""

from __future__ import annotations

import json

import pytest

from biopipelines.core.errors import InputError
from biopipelines.core.schemas import AskCoverage, IntentResult
from biopipelines.graph.evaluation import EvalRow, RowOutcome, ask_scores, load_rows, misses, summarize


def _outcome(row: dict, status: str, asks: dict[str, bool] | None) -> RowOutcome:
    """A graph outcome whose plan reads `asks` (ask -> covered?); None: no workflow was written."""
    coverage = None if asks is None else [
        AskCoverage(ask=a, label=a, covered_by=["step"] if covered else []) for a, covered in asks.items()]
    result = IntentResult(intent="generate_workflow", analysis_type=row.get("analysis_type"), confidence=1)
    return RowOutcome(row=EvalRow.model_validate(row), result=result, latency_ms=1.0, tier="offline", status=status, graph_type=row.get("analysis_type"),
                      asks=coverage)


def _synthetic() -> list[RowOutcome]:
    return [
        # all right: 2 pairs right
        _outcome({"query": "a", "analysis_type": "atacseq", "status": "partial", "asks": ["peaks", "motif_enrichment"],
                  "not_done": ["motif_enrichment"]}, "partial", {"peaks": True, "motif_enrichment": False}),
        # ask read, coverage wrong (said covered, labelled not done): 0 of 1 right, extraction right
        _outcome({"query": "b", "analysis_type": "rnaseq_de", "status": "partial",
                  "asks": ["gene_set_enrichment"], "not_done": ["gene_set_enrichment"]},
                 "validated", {"gene_set_enrichment": True}),
        # one ask missed, one invented: 1 of 2 expected right, 1 of 2 predicted right
        _outcome({"query": "c", "analysis_type": "rnaseq_de", "status": "validated",
                  "asks": ["differential_expression", "expression_quantification"]},
                 "validated", {"differential_expression": True, "peaks": True}),
        # no workflow where one was expected: both pairs missed, nothing predicted
        _outcome({"query": "d", "analysis_type": "rnaseq_de", "status": "validated",
                  "asks": ["differential_expression"]}, "needs_clarification", None),
        # unsupported rows are not scored, whatever their asks
        _outcome({"query": "e", "analysis_type": "gwas", "status": "unsupported", "asks": ["qc_report"],
                  "not_done": ["qc_report"]}, "unsupported", None),
    ]


def test_ask_scores_count_pairs_over_the_rows_that_expect_a_workflow():
    scores = summarize(_synthetic())["asks"]
    # expected pairs: 2 + 1 + 2 + 1 = 6; predicted: 2 + 1 + 2 + 0 = 5; right: 2 + 0 + 1 + 0 = 3
    assert scores["rows"] == 4 and scores["pairs_expected"] == 6 and scores["pairs_predicted"] == 5
    assert scores["coverage_precision"] == pytest.approx(3 / 5, abs=1e-4)
    assert scores["coverage_recall"] == pytest.approx(3 / 6, abs=1e-4)
    # ids alone: right 2 + 1 + 1 + 0 = 4
    assert scores["extraction_precision"] == pytest.approx(4 / 5, abs=1e-4)
    assert scores["extraction_recall"] == pytest.approx(4 / 6, abs=1e-4)


def test_no_predicted_pairs_gives_no_precision_rather_than_a_division_by_zero():
    scores = ask_scores(_synthetic()[3:4])
    assert scores["coverage_precision"] is None and scores["coverage_recall"] == 0.0


def test_misses_show_the_ask_pairs_that_differ():
    rows = {m["query"]: m for m in misses(_synthetic())}
    assert rows["b"]["asks"] == {"expected": ["gene_set_enrichment (not done)"], "got": ["gene_set_enrichment"]}
    assert "a" not in rows and "e" not in rows  # all right; unsupported as expected


@pytest.mark.parametrize("row, problem", [
    ({"query": "q", "asks": ["no_such_ask"]}, "unknown ask id 'no_such_ask'"),
    ({"query": "q", "asks": ["peaks"], "not_done": ["motif_enrichment"]}, "not_done names asks"),
])
def test_bad_ask_labels_are_one_line_errors(tmp_path, row, problem):
    path = tmp_path / "rows.jsonl"
    path.write_text(json.dumps(row) + "\n")
    with pytest.raises(InputError, match=problem) as info:
        load_rows(path, ("atacseq",))
    assert str(path) in str(info.value) and "\n" not in str(info.value)


def test_the_ask_vocabulary_points_at_real_port_types_and_markers():
    """Coverage comes from module metadata: every `delivered_by` is a port type, every marker a recipe's."""
    from biopipelines.library import load_library
    from biopipelines.nodes.offline.asks import load_asks

    library = load_library()
    markers = {m for recipe in library.recipes.values() for step in recipe.steps for m in step.markers}
    for kind, _ in load_asks():
        assert set(kind.delivered_by) <= set(library.types), kind.id
        assert set(kind.markers) <= markers, kind.id
        if not kind.delivered_by and not kind.markers:
            assert kind.todo, f"{kind.id}: nothing delivers it, so it needs a `todo` hint"


def test_the_field_tasks_label_every_ask_with_a_known_id():
    from pathlib import Path

    from biopipelines.nodes.intent import analysis_type_slugs

    rows = load_rows(Path(__file__).resolve().parents[1] / "data" / "field_tasks.jsonl", analysis_type_slugs())
    for row in rows:
        if row.status == "partial":
            assert row.not_done, row.query
        if row.status in ("validated", "not_a_workflow"):
            assert not row.not_done, row.query
        if row.status == "unsupported":
            assert set(row.not_done) == set(row.asks), row.query
