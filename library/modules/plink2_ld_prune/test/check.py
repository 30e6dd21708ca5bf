"""LD pruning drops one of the planted pair of identical variants, keeps almost all of the independent ones, and
lists no chrX variant.

Run on the `gwas_plink` workflow (tests/modules/workflows/gwas.py)."""

from __future__ import annotations

from biopipelines.library.testdata import synthetic_gwas as gw
from tests.modules.harness import Run
from tests.modules.outputs_gwas import bim_ids

WORKFLOW = "gwas_plink"


def check(run: Run) -> None:
    kept = run.path("results/plink2_ld_prune/cohort.prune.in").read_text().split()
    chrom, pos = gw.LD_COPY.split(":")
    pair = {f"{chrom}:{int(pos) - 20_000}:", gw.LD_COPY + ":"}
    assert sum(any(v.startswith(p) for p in pair) for v in kept) == 1, "both copies kept"
    autosomal = [v for v in bim_ids(run.path("results/plink_variant_qc/cohort.bim")) if not v.startswith(("23:", "X:"))]
    assert not any(v.startswith(("23:", "X:")) for v in kept)
    assert len(kept) > 0.95 * len(autosomal)  # the synthetic variants are otherwise independent
