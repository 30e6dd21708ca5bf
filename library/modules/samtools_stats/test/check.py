"""samtools stats sees over 95% of the reads mapped.

Run on the `germline_bcftools` workflow (tests/modules/workflows/core.py)."""

from __future__ import annotations

import re

from tests.modules.harness import Run
from tests.modules.outputs_core import first_sample

WORKFLOW = "germline_bcftools"


def check(run: Run) -> None:
    stats = run.path(f"results/samtools_stats/{first_sample(run)}.stats.txt").read_text()
    total = int(re.search(r"SN\traw total sequences:\t(\d+)", stats).group(1))
    mapped = int(re.search(r"SN\treads mapped:\t(\d+)", stats).group(1))
    assert total > 1000 and mapped > 0.95 * total
