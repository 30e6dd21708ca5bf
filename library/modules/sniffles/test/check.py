"""Sniffles2 calls the planted homozygous deletion within 50 bp of its ends.

Run on the `longread_sniffles` workflow (tests/modules/workflows/longread_assembly.py)."""

from __future__ import annotations

from tests.modules import synthetic as syn
from tests.modules.harness import Run
from tests.modules.outputs_longread_assembly import planted_deletion_call

WORKFLOW = "longread_sniffles"


def check(run: Run) -> None:
    pos, stop, genotype = planted_deletion_call(run.path("results/sniffles/sample_1.sv.vcf"))
    contig, start, end = syn.DELETION
    assert abs(pos - start) < 50 and abs(stop - end) < 50, (pos, stop)
    assert genotype == "1/1"
