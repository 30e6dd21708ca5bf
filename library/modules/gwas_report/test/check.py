"""The report finds one genome-wide locus, at the planted causal variant, a genomic inflation lambda near 1 (the PCs
absorb the planted stratification), and draws Manhattan and QQ plots.

Run on the `gwas_plink` workflow (tests/modules/workflows/gwas.py)."""

from __future__ import annotations

from biopipelines.library.testdata import synthetic_gwas as gw
from tests.modules.harness import Run
from tests.modules.outputs_gwas import png_size, rows

WORKFLOW = "gwas_plink"


def check(run: Run) -> None:
    summary = {r["metric"]: r["value"] for r in rows(run.path("results/gwas_report/summary.tsv"))}
    assert 0.9 < float(summary["lambda_gc"]) < 1.1, summary
    assert summary["genome_wide_loci"] == "1"
    hits = rows(run.path("results/gwas_report/hits.tsv"))
    lead = [h for h in hits if h["class"] == "genome_wide" and h["lead"] == "TRUE"]
    assert len(lead) == 1 and f"{lead[0]['chrom']}:{lead[0]['pos']}" == gw.CAUSAL
    assert png_size(run.path("results/gwas_report/manhattan.png")) == (2400, 1000)
    assert png_size(run.path("results/gwas_report/qq.png")) == (1200, 1200)
