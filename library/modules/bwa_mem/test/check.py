"""BWA-MEM tags the sample's read group and maps over 97% of the reads.

Run on the `germline_bcftools` workflow (tests/modules/workflows/core.py)."""

from __future__ import annotations

import re

from tests.modules.harness import Run
from tests.modules.readers import mapped_fraction, samtools

WORKFLOW = "germline_bcftools"


def check(run: Run) -> None:
    bam = run.path("results/bwa_mem/sample_1.unsorted.bam")
    header = samtools("view", "-H", str(bam))
    assert re.search(r"@RG\tID:sample_1\tSM:sample_1", header)
    assert mapped_fraction(bam) > 0.97
