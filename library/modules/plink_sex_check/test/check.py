"""The sex check recovers every planted sex and flags exactly the planted swap.

Run on the `germline_sample_identity` workflow (tests/modules/workflows/sample_identity.py): eight samples of
library/testdata/synthetic_sample_identity.py, four men (homozygous on 300 non-PAR chrX SNVs, heterozygous in PAR1)
and four women; the sample sheet records the man SWAPPED_SAMPLE as female."""

from __future__ import annotations

from biopipelines.library.testdata import synthetic_sample_identity as si
from tests.modules.harness import Run
from tests.modules.readers import table

WORKFLOW = "germline_sample_identity"


def check(run: Run) -> None:
    rows = {r["Sample"]: r for r in table(run.path("results/plink_sex_check/sex_check_mqc.tsv"))}
    assert set(rows) == set(si.SAMPLES), rows
    inferred = {s: r["Inferred sex"] for s, r in rows.items()}
    assert inferred == {s: "male" if s in si.MALES else "female" for s in si.SAMPLES}, inferred
    assert {s for s, r in rows.items() if r["Status"] == "MISMATCH"} == {si.SWAPPED_SAMPLE}, rows
    assert all(r["Status"] == "ok" for s, r in rows.items() if s != si.SWAPPED_SAMPLE), rows
    # --split-x moved the 20 PAR1 variants out of chrX: only the non-PAR SNVs count, and men stay near F = 1
    variants, calls = si.cohort()
    polymorphic = sum(1 for j, (chrom, pos) in enumerate(variants) if chrom == "chrX" and pos >= 3_000_000
                      and 0 < sum(calls[s][j].count("1") for s in si.SAMPLES) < 2 * len(si.SAMPLES))
    assert {r["chrX SNVs"] for r in rows.values()} == {str(polymorphic)}, (polymorphic, rows)
    assert all(float(rows[s]["chrX F"]) > 0.95 for s in si.MALES), rows
    # the plain table holds the same rows without the MultiQC header
    plain = table(run.path("results/plink_sex_check/sex_check.tsv"))
    assert [r["Sample"] for r in plain] == si.SAMPLES
