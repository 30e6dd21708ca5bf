"""MACS3's strongest peak covers the planted ChIP-seq summit.

Run on the `chipseq_bowtie2_macs` workflow (tests/modules/workflows/core.py)."""

from __future__ import annotations

from tests.modules.harness import Run
from tests.modules.outputs_core import assert_strongest_peak_on_planted_site

WORKFLOW = "chipseq_bowtie2_macs"


def check(run: Run) -> None:
    assert_strongest_peak_on_planted_site(run.path("results/macs3_callpeak/chip_1/chip_1.peaks.bed"))
