"""Bowtie2 aligns over 95% of the synthetic ChIP-seq reads.

Run on the `chipseq_bowtie2_macs` workflow (tests/modules/workflows/core.py)."""

from __future__ import annotations

from tests.modules.harness import Run
from tests.modules.readers import mapped_fraction, overall_alignment_rate

WORKFLOW = "chipseq_bowtie2_macs"


def check(run: Run) -> None:
    assert overall_alignment_rate(run.path("results/bowtie2_align/chip_1.bowtie2.log")) > 95
    assert mapped_fraction(run.path("results/bowtie2_align/chip_1.unsorted.bam")) > 0.95
