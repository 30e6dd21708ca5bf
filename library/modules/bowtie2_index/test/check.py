"""The Bowtie2 index files are all written.

Run on the `chipseq_bowtie2_macs` workflow (tests/modules/workflows/core.py)."""

from __future__ import annotations

from tests.modules.harness import Run

WORKFLOW = "chipseq_bowtie2_macs"


def check(run: Run) -> None:
    assert all(run.path(f"resources/bowtie2_index/genome.{n}.bt2").stat().st_size > 0 for n in (1, 2, 3, 4))
