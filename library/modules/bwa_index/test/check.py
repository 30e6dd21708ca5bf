"""The BWA index is built over both synthetic contigs.

Run on the `germline_bcftools` workflow (tests/modules/workflows/core.py)."""

from __future__ import annotations

from tests.modules.harness import Run

WORKFLOW = "germline_bcftools"


def check(run: Run) -> None:
    ann = run.path("resources/bwa_index/genome.ann").read_text()
    assert "chr1" in ann and "chr2" in ann
    assert run.path("resources/bwa_index/genome.bwt").stat().st_size > 0
