"""`analyze` on workflows executed for real (tests/modules/workflows/core.py): the planted DE gene is labelled on
the volcano and named in the summary, and the planted SNV is named in the variant summary. Skips, naming the
binary, where the Debian tools are missing (CI installs them); tests/unit/test_analysis.py runs the same checks on
result files written from the same planted truths."""

from __future__ import annotations

import json

from biopipelines.core.settings import load_settings
from biopipelines.llm.factory import ModelFactory
from biopipelines.nodes.analysis.node import analyze
from biopipelines.nodes.deps import NodeDeps
from biopipelines.library.testdata import synthetic as syn
from tests.modules.harness import Run
from tests.modules.workflows.core import WORKFLOWS


def _analyze(run: Run, name: str, tmp_path):
    """report.json as `generate` writes it (the harness renders the files but writes no report), then analyze."""
    recipe = WORKFLOWS[name][0]
    report = {"analysis_type": recipe, "plan": {"recipe": recipe, "steps": [{"module": m} for m in run.modules]}}
    (run.root / "report.json").write_text(json.dumps(report), encoding="utf-8")
    settings = load_settings("offline", env={})
    deps = NodeDeps(settings=settings, models=ModelFactory(settings))
    return analyze(deps, run.root, tmp_path / "analysis")["analysis"]


def test_analyze_labels_the_planted_de_gene_of_a_real_run(runs, tmp_path):
    analysis = _analyze(runs("rnaseq_star_deseq2"), "rnaseq_star_deseq2", tmp_path)
    volcano = next(f for f in analysis.figures if f.name == "volcano")
    symbol = syn.gene_name(syn.GENE_UP)  # labels are the GTF's gene_name
    assert symbol in volcano.labels and symbol in analysis.summary
    assert {f.name for f in analysis.figures} >= {"volcano", "ma", "pca", "sample_distances"}


def test_analyze_names_the_planted_snv_of_a_real_run(runs, tmp_path):
    analysis = _analyze(runs("germline_bcftools"), "germline_bcftools", tmp_path)
    contig, pos = syn.SNV
    assert f"{contig}:{pos} {syn.snv_ref()}>{syn.snv_alt()}" in analysis.summary
