"""The logistic test adjusted for covariates and PCs gives the planted causal variant an odds ratio near 3 and
genome-wide significance, and no other variant reaches it.

Run on the `gwas_plink` workflow (tests/modules/workflows/gwas.py)."""

from __future__ import annotations

from biopipelines.library.testdata import synthetic_gwas as gw
from tests.modules.harness import Run
from tests.modules.outputs_gwas import rows

WORKFLOW = "gwas_plink"


def check(run: Run) -> None:
    results = rows(run.path("results/plink2_glm/association.tsv.gz"))
    assert len(results) == len(run.path("results/plink2_king/cohort.bim").read_text().splitlines())
    assert {r["TEST"] for r in results} == {"ADD"}  # hide-covar: one row per variant
    significant = [r for r in results if r["P"] != "NA" and float(r["P"]) < 5e-8]
    assert [r["ID"].rsplit(":", 2)[0] for r in significant] == [gw.CAUSAL]
    assert 2.0 < float(significant[0]["OR"]) < 5.0 and "L95" in significant[0]
