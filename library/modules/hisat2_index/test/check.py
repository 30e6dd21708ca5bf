"""The HISAT2 index files are all written.

Run on the `rnaseq_hisat2_edger` workflow (tests/modules/workflows/core.py)."""

from __future__ import annotations

from tests.modules.harness import Run

WORKFLOW = "rnaseq_hisat2_edger"


def check(run: Run) -> None:
    assert all(run.path(f"resources/hisat2_index/genome.{n}.ht2").stat().st_size > 0 for n in range(1, 9))
