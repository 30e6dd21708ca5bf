"""Beagle 5 phases every prepared site of every cohort sample (GT with '|', the genotypes unchanged), and its
haplotypes follow the planted true ones: switch error rate below 10% over consecutive heterozygous sites.

Run on the `imputation_beagle` workflow (tests/modules/workflows/imputation.py)."""

from __future__ import annotations

from biopipelines.library.testdata import synthetic_imputation as si
from tests.modules.harness import Run
from tests.modules.outputs_imputation import records, sites

WORKFLOW = "imputation_beagle"


def check(run: Run) -> None:
    phased_path = run.path("results/beagle_phase/cohort.phased.vcf.gz")
    prepared = run.path("results/bcftools_impute_prep/cohort.prepared.vcf.gz")
    assert sites(phased_path) == sites(prepared)
    assert all("|" in value.split(":")[0] for r in records(phased_path) for value in r["samples"])
    before, after = si.read_genotypes(prepared), si.read_genotypes(phased_path)
    assert {c: {p: {s: sum(g) for s, g in v.items()} for p, v in d.items()} for c, d in before.items()} == \
           {c: {p: {s: sum(g) for s, g in v.items()} for p, v in d.items()} for c, d in after.items()}
    rate, pairs = si.switch_error(phased_path)
    assert pairs > 1000 and rate < 0.10, (rate, pairs)
