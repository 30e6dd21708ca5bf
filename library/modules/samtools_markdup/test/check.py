"""samtools markdup reads every pair and keeps over 97% of them mapped.

Run on the `germline_bcftools` workflow (tests/modules/workflows/core.py)."""

from __future__ import annotations

import re

from tests.modules.harness import Run
from tests.modules.readers import mapped_fraction

WORKFLOW = "germline_bcftools"


def check(run: Run) -> None:
    stats = run.path("results/samtools_markdup/sample_1.markdup.txt").read_text()
    assert int(re.search(r"READ: (\d+)", stats).group(1)) > 1000
    assert mapped_fraction(run.path("results/samtools_markdup/sample_1.bam")) > 0.97
