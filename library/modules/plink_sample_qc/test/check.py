"""Sample QC removes the three planted bad samples, each for its own reason (call rate, excess heterozygosity, a
recorded male with a female chrX), and no other sample.

Run on the `gwas_plink` workflow (tests/modules/workflows/gwas.py)."""

from __future__ import annotations

from biopipelines.library.testdata import synthetic_gwas as gw
from tests.modules.harness import Run
from tests.modules.outputs_gwas import fam_ids, rows

WORKFLOW = "gwas_plink"


def check(run: Run) -> None:
    table = {r["IID"]: r for r in rows(run.path("results/plink_sample_qc/sample_qc.tsv"))}
    removed = {iid: r["failed"] for iid, r in table.items() if r["status"] == "removed"}
    assert removed == {gw.LOW_CALL_SAMPLE: "call_rate", gw.HET_SAMPLE: "heterozygosity",
                       gw.SEX_SAMPLE: "sex_mismatch"}, removed
    assert float(table[gw.HET_SAMPLE]["het_F"]) < -0.5  # heterozygous almost everywhere
    kept = fam_ids(run.path("results/plink_sample_qc/cohort.fam"))
    assert kept == set(table) - set(removed)
