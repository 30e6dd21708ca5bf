"""MACS3 (ATAC mode) puts its strongest peak on the planted open-chromatin site.

Run on the `atacseq_default` workflow (tests/modules/workflows/core.py)."""

from __future__ import annotations

from tests.modules import synthetic as syn
from tests.modules.harness import Run

WORKFLOW = "atacseq_default"


def check(run: Run) -> None:
    peaks = [line.split("\t") for line in run.path("results/macs3_atac/chip_1/chip_1.peaks.bed").read_text()
             .splitlines()]
    assert peaks, "no peak called"
    best = max(peaks, key=lambda p: float(p[8]))
    contig, summit = syn.PEAK
    assert best[0] == contig and int(best[1]) - 300 < summit < int(best[2]) + 300
