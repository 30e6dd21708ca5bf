"""bcftools stats counts at least the planted SNV.

Run on the `germline_bcftools` workflow (tests/modules/workflows/core.py)."""

from __future__ import annotations

import re

from tests.modules.harness import Run

WORKFLOW = "germline_bcftools"


def check(run: Run) -> None:
    stats = run.path("results/bcftools_stats/cohort.stats.txt").read_text()
    assert int(re.search(r"SN\t0\tnumber of SNPs:\t(\d+)", stats).group(1)) >= 1
