"""`biopipelines eval --sweep`: the open-set thresholds of config/intent.yaml, calibrated on the dev split only."""

from __future__ import annotations

import pytest

from biopipelines.core.errors import InputError
from biopipelines.graph.calibration import dev_rows, parse_sweep, sweep
from biopipelines.graph.evaluation import EvalRow
from biopipelines.nodes.intent_policy import load_intent_config
from biopipelines.nodes.offline.intent import Calibration

ROWS = [
    EvalRow(query="Call peaks on my ChIP-seq samples, 2 replicates with input", intent="generate_workflow",
            analysis_type="chipseq_peaks", split="dev"),
    EvalRow(query="Run a GWAS on our PLINK genotypes", intent="generate_workflow", analysis_type="gwas", split="dev"),
    EvalRow(query="Thanks, that looked great", intent="smalltalk", analysis_type=None, split="holdout"),
]


def test_the_classifier_reads_its_open_set_thresholds_from_the_config():
    configured = load_intent_config().open_set
    cal = Calibration.from_config()
    assert (cal.assay_points, cal.knn_only_similarity, cal.tie_ratio) == (
        configured.assay_points, configured.knn_only_similarity, configured.tie_ratio)
    assert Calibration.from_config(tie_ratio=0.3).tie_ratio == 0.3


def test_a_sweep_scores_the_dev_rows_at_each_value():
    rows = dev_rows(ROWS, "rows.jsonl")
    assert [r.split for r in rows] == ["dev", "dev"]  # the holdout is never swept
    # patterns only (no embeddings): a threshold above every pattern score names no assay at all
    result = sweep(rows, None, "assay_points", [2.0, 50.0])
    assert [p["value"] for p in result["points"]] == [2.0, 50.0]
    low, high = result["points"]
    assert low["analysis_type_accuracy"] == 1.0 and high["analysis_type_accuracy"] == 0.0
    assert result["n"] == 2 and result["configured"] == load_intent_config().open_set.assay_points


@pytest.mark.parametrize("spec, problem", [
    ("colour=1", "KEY one of assay_points, knn_only_similarity, tie_ratio"),
    ("tie_ratio", "KEY one of"),
    ("tie_ratio=a,b", "must be numbers"),
    ("tie_ratio=", "no values"),
    ("tie_ratio=0.5,3", "tie_ratio=3.0"),
])
def test_bad_sweeps_are_one_line_errors(spec, problem):
    with pytest.raises(InputError, match=problem) as info:
        parse_sweep(spec)
    assert "\n" not in str(info.value)


def test_a_file_without_dev_rows_cannot_be_swept():
    with pytest.raises(InputError, match="no such rows"):
        dev_rows(ROWS[2:], "rows.jsonl")
