"""bcftools calls the planted homozygous SNV in both samples, with few false positives.

Run on the `germline_bcftools` workflow (tests/modules/workflows/core.py)."""

from __future__ import annotations

from tests.modules.harness import Run
from tests.modules.outputs_core import snv_genotypes
from tests.modules.readers import vcf_records

WORKFLOW = "germline_bcftools"


def check(run: Run) -> None:
    genotypes = snv_genotypes(run.path("results/bcftools_call/cohort.vcf.gz"))
    assert genotypes == ["1/1", "1/1"]
    assert len(vcf_records(run.path("results/bcftools_call/cohort.vcf.gz"))) < 20  # few false positives
