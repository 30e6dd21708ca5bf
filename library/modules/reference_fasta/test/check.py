"""The reference step copies the synthetic genome unchanged.

Run on the `germline_bcftools` workflow (tests/modules/workflows/core.py)."""

from __future__ import annotations

from tests.modules.harness import Run

WORKFLOW = "germline_bcftools"


def check(run: Run) -> None:
    copied = run.path("resources/reference/genome.fa").read_text()
    assert copied == run.reference("fasta").read_text()
