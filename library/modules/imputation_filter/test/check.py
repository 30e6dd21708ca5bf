"""The R² filter keeps exactly the imputed sites with DR2 at or above the threshold, and the quality table's rows
(chromosome x MAF bin) count every imputed and typed site once, with mean R² and pass shares that agree with the
VCF.

Run on the `imputation_shapeit4` workflow (tests/modules/workflows/imputation.py)."""

from __future__ import annotations

from tests.modules.harness import Run
from tests.modules.outputs_imputation import mqc_table, records, sites

WORKFLOW = "imputation_shapeit4"


def check(run: Run) -> None:
    threshold = float(run.config["imputation_filter"]["min_r2"])
    imputed = records(run.path("results/beagle_impute/cohort.imputed.vcf.gz"))
    passing = {f"{r['chrom']}:{r['pos']}" for r in imputed if float(r["info"]["DR2"]) >= threshold}
    assert sites(run.path("results/imputation_filter/cohort.imputed.filtered.vcf.gz")) == passing
    table = mqc_table(run.path("results/imputation_filter/imputation_quality_mqc.tsv"))
    assert sum(int(r["imputed"]) for r in table) == sum("IMP" in r["info"] for r in imputed)
    assert sum(int(r["typed"]) for r in table) == sum("IMP" not in r["info"] for r in imputed)
    for chrom in {r["chrom"] for r in imputed}:
        rows = [r for r in table if r["chrom"] == chrom]
        n = sum(int(r["imputed"]) + int(r["typed"]) for r in rows)
        mean = sum(float(r["mean_r2"]) * (int(r["imputed"]) + int(r["typed"])) for r in rows) / n
        truth = [float(r["info"]["DR2"]) for r in imputed if r["chrom"] == chrom]
        assert abs(mean - sum(truth) / len(truth)) < 0.01, (chrom, mean)
        assert {r["maf_bin"] for r in rows} <= {"0-0.001", "0.001-0.01", "0.01-0.05", "0.05-0.5"}
