"""KING-robust kinship finds exactly the two planted relationships: a duplicate pair and a parent-child pair.

Run on the `germline_sample_identity` workflow (tests/modules/workflows/sample_identity.py): eight samples of
library/testdata/synthetic_sample_identity.py on 2,400 autosomal SNVs; DUPLICATE_PAIR is one DNA under two names
(1% of calls differ, kinship ~0.5), PARENT_CHILD shares one allele of every genotype (kinship ~0.25), every other
pair is unrelated."""

from __future__ import annotations

from biopipelines.library.testdata import synthetic_sample_identity as si
from tests.modules.harness import Run
from tests.modules.readers import table

WORKFLOW = "germline_sample_identity"


def check(run: Run) -> None:
    rows = table(run.path("results/plink2_relatedness/relatedness_mqc.tsv"))
    assert len(rows) == 8 * 7 // 2  # a small cohort: every pair is listed
    related = {tuple(sorted((r["Sample 1"], r["Sample 2"]))): r["Relationship"] for r in rows
               if r["Relationship"] != "unrelated"}
    assert related == {tuple(sorted(si.DUPLICATE_PAIR)): "duplicate/MZ twin",
                       tuple(sorted(si.PARENT_CHILD)): "first degree"}, related
    kinship = {tuple(sorted((r["Sample 1"], r["Sample 2"]))): float(r["Kinship"]) for r in rows}
    assert kinship[tuple(sorted(si.DUPLICATE_PAIR))] > 0.45
    assert 0.2 < kinship[tuple(sorted(si.PARENT_CHILD))] < 0.3
    assert all(abs(k) < 0.0442 for pair, k in kinship.items() if pair not in related), kinship
    assert all(r["SNVs"] == "2400" and r["Note"] == "." for r in rows)  # autosomes only: chrX left out
    # the raw PLINK 2 table lists the same pairs
    assert len(run.path("results/plink2_relatedness/cohort.kin0").read_text().splitlines()) == 1 + len(rows)
