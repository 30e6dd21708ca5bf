"""Beagle 5 phases every prepared site of every cohort sample (GT with '|', the genotypes unchanged), and its
haplotypes follow the planted true ones: switch error rate below 10% over consecutive heterozygous sites.

Run on the `imputation_beagle` workflow (tests/modules/workflows/imputation.py)."""

from __future__ import annotations

from tests.modules.harness import Run
from tests.modules.outputs_imputation import assert_phases_the_prepared_sites

WORKFLOW = "imputation_beagle"


def check(run: Run) -> None:
    assert_phases_the_prepared_sites(run.path("results/beagle_phase/cohort.phased.vcf.gz"),
                                     run.path("results/bcftools_impute_prep/cohort.prepared.vcf.gz"))
