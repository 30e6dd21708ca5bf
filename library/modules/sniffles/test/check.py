"""Sniffles2 calls the planted homozygous deletion within 50 bp of its ends.

Run on the `longread_sniffles` workflow (tests/modules/workflows/longread_assembly.py)."""

from __future__ import annotations

from tests.modules.harness import Run
from tests.modules.outputs_longread_assembly import assert_planted_deletion_called

WORKFLOW = "longread_sniffles"


def check(run: Run) -> None:
    assert_planted_deletion_called(run.path("results/sniffles/sample_1.sv.vcf"))
