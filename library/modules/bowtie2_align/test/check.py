"""Bowtie2 aligns over 95% of the synthetic ChIP-seq reads.

Run on the `chipseq_bowtie2_macs` workflow (tests/modules/workflows/core.py)."""

from __future__ import annotations

import re

from tests.modules.harness import Run
from tests.modules.readers import mapped_fraction

WORKFLOW = "chipseq_bowtie2_macs"


def check(run: Run) -> None:
    summary = run.path("results/bowtie2_align/chip_1.bowtie2.log").read_text()
    assert float(re.search(r"([\d.]+)% overall alignment rate", summary).group(1)) > 95
    assert mapped_fraction(run.path("results/bowtie2_align/chip_1.unsorted.bam")) > 0.95
