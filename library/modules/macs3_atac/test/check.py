"""MACS3 (ATAC mode) puts its strongest peak on the planted open-chromatin site.

Run on the `atacseq_default` workflow (tests/modules/workflows/core.py)."""

from __future__ import annotations

from tests.modules.harness import Run
from tests.modules.outputs_core import assert_strongest_peak_on_planted_site

WORKFLOW = "atacseq_default"


def check(run: Run) -> None:
    assert_strongest_peak_on_planted_site(run.path("results/macs3_atac/chip_1/chip_1.peaks.bed"))
