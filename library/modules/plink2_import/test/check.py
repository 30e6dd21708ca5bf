"""PLINK 2 import keeps every sample and variant of the synthetic cohort and renames each variant chr:pos:ref:alt.

Run on the `gwas_plink` workflow (tests/modules/workflows/gwas.py)."""

from __future__ import annotations

from biopipelines.library.testdata import synthetic_gwas as gw
from tests.modules.harness import Run
from tests.modules.outputs_gwas import bim_ids, fam_ids

WORKFLOW = "gwas_plink"


def check(run: Run) -> None:
    data = gw.cohort()
    ids = bim_ids(run.path("results/plink2_import/cohort.bim"))
    assert len(ids) == len(data["variants"])
    assert ids[0] == "1:20000:G:A" and all(i.count(":") == 3 for i in ids)  # was rs1
    assert fam_ids(run.path("results/plink2_import/cohort.fam")) == {s["id"] for s in data["samples"]}
