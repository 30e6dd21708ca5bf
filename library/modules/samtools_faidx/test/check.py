"""The FASTA index lists the synthetic contigs with their planted lengths.

Run on the `germline_bcftools` workflow (tests/modules/workflows/core.py)."""

from __future__ import annotations

from biopipelines.library.testdata import synthetic as syn
from tests.modules.harness import Run

WORKFLOW = "germline_bcftools"


def check(run: Run) -> None:
    rows = [line.split("\t")[:2] for line in run.path("resources/reference/genome.fa.fai").read_text().splitlines()]
    assert rows == [[name, str(length)] for name, length in syn.CONTIGS.items()]
