"""MACS3's strongest peak covers the planted ChIP-seq summit.

Run on the `chipseq_bowtie2_macs` workflow (tests/modules/workflows/core.py)."""

from __future__ import annotations

from tests.modules import synthetic as syn
from tests.modules.harness import Run

WORKFLOW = "chipseq_bowtie2_macs"


def check(run: Run) -> None:
    peaks = [line.split("\t") for line in run.path("results/macs3_callpeak/chip_1/chip_1.peaks.bed").read_text()
             .splitlines()]
    assert peaks, "no peak called"
    best = max(peaks, key=lambda p: float(p[8]))  # narrowPeak column 9: -log10 q-value
    contig, summit = syn.PEAK
    assert best[0] == contig and int(best[1]) - 300 < summit < int(best[2]) + 300
