"""Beagle imputes every reference-panel site (typed ones keep their phase, untyped ones are flagged IMP, all carry
DR2 and AF), and the imputed genotypes at the masked sites match the planted truth: concordance above 0.9, well
above a guess of the commonest genotype at each site.

Run on the `imputation_shapeit4` workflow (tests/modules/workflows/imputation.py)."""

from __future__ import annotations

from biopipelines.library.testdata import synthetic_imputation as si
from tests.modules.harness import Run
from tests.modules.outputs_imputation import records, sites

WORKFLOW = "imputation_shapeit4"


def _commonest_genotype_concordance() -> float:
    """Concordance of always guessing each masked site's commonest true genotype (a frequency-only baseline)."""
    agree = total = 0
    for chrom, by_pos in si.truth().items():
        for pos, calls in by_pos.items():
            if pos in si.array_sites(chrom):
                continue
            counts = [sum(g) for g in calls.values()]
            agree += max(counts.count(k) for k in (0, 1, 2))
            total += len(counts)
    return agree / total


def check(run: Run) -> None:
    imputed_path = run.path("results/beagle_impute/cohort.imputed.vcf.gz")
    imputed = records(imputed_path)
    panel = {f"{c}:{p}" for c in si.CHROMOSOMES for p in si.dataset()["chromosomes"][c]["positions"]}
    assert {f"{r['chrom']}:{r['pos']}" for r in imputed} == panel
    typed = sites(run.path("results/shapeit4_phase/cohort.phased.vcf.gz"))
    for r in imputed:
        assert "DR2" in r["info"] and "AF" in r["info"], r["info"]
        assert ("IMP" in r["info"]) == (f"{r['chrom']}:{r['pos']}" not in typed)
    phased = si.read_genotypes(run.path("results/shapeit4_phase/cohort.phased.vcf.gz"))
    calls = si.read_genotypes(imputed_path)
    assert all(calls[c][p] == phased[c][p] for c in phased for p in phased[c])  # typed sites keep their phase
    rate, compared = si.concordance(imputed_path)
    masked = sum(n - len(range(0, n, si.ARRAY_STEP)) for n in si.CHROMOSOMES.values())
    assert compared == masked * si.TARGET_SAMPLES, compared
    baseline = _commonest_genotype_concordance()
    assert rate > 0.9 and rate > baseline + 0.2, (rate, baseline)
