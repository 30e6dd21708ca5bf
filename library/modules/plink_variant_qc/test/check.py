"""Variant QC removes exactly the three planted bad variants: 15% missing calls, Hardy-Weinberg failure in controls,
and a singleton below the MAF threshold; its summary counts one removal per filter.

Run on the `gwas_plink` workflow (tests/modules/workflows/gwas.py)."""

from __future__ import annotations

from biopipelines.library.testdata import synthetic_gwas as gw
from tests.modules.harness import Run
from tests.modules.outputs_gwas import bim_ids, rows, with_prefix

WORKFLOW = "gwas_plink"


def check(run: Run) -> None:
    before = bim_ids(run.path("results/plink2_import/cohort.bim"))
    after = bim_ids(run.path("results/plink_variant_qc/cohort.bim"))
    removed = set(before) - set(after)
    planted = {v for position in (gw.MISSING_VARIANT, gw.HWE_VARIANT, gw.RARE_VARIANT)
               for v in with_prefix(before, position)}
    assert removed == planted, sorted(removed ^ planted)
    counts = {r["filter"]: r["variants_removed"] for r in rows(run.path("results/plink_variant_qc/variant_qc.tsv"))}
    assert counts == {"call_rate": "1", "hwe": "1", "maf": "1", "kept": str(len(after))}, counts
