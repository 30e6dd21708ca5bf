"""Filtlong drops the worst reads only, and no read under 1 kb is left.

Run on the `longread_sniffles` workflow (tests/modules/workflows/longread_assembly.py)."""

from __future__ import annotations

from biopipelines.library.testdata import synthetic_longread_assembly as lra
from tests.modules.harness import Run

WORKFLOW = "longread_sniffles"


def check(run: Run) -> None:
    before, _ = lra.count_fastq(run.reads("sample_1"))
    after, lengths = lra.count_fastq(run.path("results/filtlong/sample_1.fastq.gz"))
    assert 0.8 * before <= after < before  # --keep_percent 95 of the bases: the worst reads go
    assert min(lengths) >= 1_000
