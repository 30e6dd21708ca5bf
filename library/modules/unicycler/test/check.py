"""Unicycler rebuilds the toy bacterium: the right total length, long contigs, >99.9% identity.

Run on the `assembly_unicycler` workflow (tests/modules/workflows/longread_assembly.py)."""

from __future__ import annotations

from tests.modules.harness import Run
from tests.modules.outputs_longread_assembly import check_short_read_assembly

WORKFLOW = "assembly_unicycler"


def check(run: Run) -> None:
    check_short_read_assembly(run, "results/unicycler/isolate_1/assembly.fasta")
