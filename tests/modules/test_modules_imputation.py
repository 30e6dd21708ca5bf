"""End-to-end checks of the phasing and imputation workflow (tests/modules/workflows/imputation.py) on the planted
panel and held-out cohort: both phasing routes (SHAPEIT4, Beagle) lead to accurate imputation at the masked sites,
and the prepared cohort is the same whichever phaser follows. Each module's own output check (preparation, phasing,
imputation, R² filter) lives beside the module: library/modules/<id>/test/check.py.
"""

from __future__ import annotations

from biopipelines.library.testdata import synthetic_imputation as si
from tests.modules.outputs_imputation import sites


def test_both_phasing_routes_impute_the_masked_sites_accurately(runs):
    found = {}
    for name in ("imputation_shapeit4", "imputation_beagle"):
        run = runs(name)
        assert run.code == 0, run.output[-3000:]
        found[name] = si.concordance(run.path("results/imputation_filter/cohort.imputed.filtered.vcf.gz"))[0]
    assert all(rate > 0.9 for rate in found.values()), found


def test_the_prepared_cohort_does_not_depend_on_the_phaser(runs):
    shapeit, beagle = runs("imputation_shapeit4"), runs("imputation_beagle")
    path = "results/bcftools_impute_prep/cohort.prepared.vcf.gz"
    assert sites(shapeit.path(path)) == sites(beagle.path(path))
