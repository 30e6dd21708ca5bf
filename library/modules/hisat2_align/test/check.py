"""HISAT2 aligns over 95% of the synthetic RNA-seq reads.

Run on the `rnaseq_hisat2_edger` workflow (tests/modules/workflows/core.py)."""

from __future__ import annotations

from tests.modules.harness import Run
from tests.modules.readers import mapped_fraction, overall_alignment_rate

WORKFLOW = "rnaseq_hisat2_edger"


def check(run: Run) -> None:
    assert overall_alignment_rate(run.path("results/hisat2_align/control_1.summary.txt")) > 95
    assert mapped_fraction(run.path("results/hisat2_align/control_1.bam")) > 0.95
