"""FreeBayes calls the planted homozygous SNV in both samples.

Run on the `germline_freebayes` workflow (tests/modules/workflows/core.py)."""

from __future__ import annotations

from tests.modules.harness import Run
from tests.modules.outputs_core import snv_genotypes

WORKFLOW = "germline_freebayes"


def check(run: Run) -> None:
    genotypes = snv_genotypes(run.path("results/freebayes/cohort.vcf"))
    assert [g.replace("|", "/") for g in genotypes] == ["1/1", "1/1"]
