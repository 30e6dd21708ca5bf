"""Pre-imputation QC removes exactly the planted bad sites: a call-rate failure, a Hardy-Weinberg failure, an A/T
SNP, a site with REF and ALT swapped against the panel, a site absent from the panel and the panel-less second ALT
of a multiallelic record (whose first ALT is kept); every other array site stays, and the table counts each
filter's removals.

Run on the `imputation_shapeit4` workflow (tests/modules/workflows/imputation.py)."""

from __future__ import annotations

from biopipelines.library.testdata import synthetic_imputation as si
from tests.modules.harness import Run
from tests.modules.outputs_imputation import mqc_table, records, samples

WORKFLOW = "imputation_shapeit4"


def check(run: Run) -> None:
    prepared = records(run.path("results/bcftools_impute_prep/cohort.prepared.vcf.gz"))
    kept = {f"{r['chrom']}:{r['pos']}" for r in prepared}
    array = {f"{c}:{p}" for c in si.CHROMOSOMES for p in si.array_sites(c)}
    removed = set(si.PLANTED_QC.values()) - {si.NOVEL_SITE}
    assert kept == array - removed, sorted(kept ^ (array - removed))
    assert all("," not in r["alt"] for r in prepared)  # biallelic only
    multi = [r for r in prepared if f"{r['chrom']}:{r['pos']}" == si.MULTIALLELIC_SITE]
    assert len(multi) == 1 and multi[0]["format"] == "GT", multi  # the panel's allele kept, GT only
    assert samples(run.path("results/bcftools_impute_prep/cohort.prepared.vcf.gz")) == si.dataset()["target_samples"]
    counts = {r["step"]: int(r["sites"]) for r in mqc_table(run.path("results/bcftools_impute_prep/prep_qc_mqc.tsv"))}
    assert counts == {"input_records": len(array) + 1, "after_multiallelic_split": len(array) + 2,
                      "call_rate_removed": 1, "hwe_removed": 1, "strand_ambiguous_removed": 1,
                      "panel_mismatch_removed": 3, "kept": len(kept)}, counts
