"""KING-robust finds the planted duplicate (kinship ~0.5, the only pair above second degree) and removes exactly
one of the two samples.

Run on the `gwas_plink` workflow (tests/modules/workflows/gwas.py)."""

from __future__ import annotations

from biopipelines.library.testdata import synthetic_gwas as gw
from tests.modules.harness import Run
from tests.modules.outputs_gwas import fam_ids, rows

WORKFLOW = "gwas_plink"


def check(run: Run) -> None:
    pairs = rows(run.path("results/plink2_king/cohort.kin0"))
    close = [r for r in pairs if float(r["KINSHIP"]) > 0.0884]
    assert len(close) == 1 and {close[0]["IID1"], close[0]["IID2"]} == {gw.RELATIVE_OF, gw.DUPLICATE_SAMPLE}
    assert float(close[0]["KINSHIP"]) > 0.45
    before = fam_ids(run.path("results/plink_sample_qc/cohort.fam"))
    after = fam_ids(run.path("results/plink2_king/cohort.fam"))
    assert len(before - after) == 1 and (before - after) <= {gw.RELATIVE_OF, gw.DUPLICATE_SAMPLE}
