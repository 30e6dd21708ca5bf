"""Racon corrects most of the ~2% errors planted in the seeded draft assembly.

Run on the `longread_assembly_racon` workflow (tests/modules/workflows/longread_assembly.py)."""

from __future__ import annotations

from biopipelines.library.testdata import synthetic_longread_assembly as lra
from tests.modules.harness import Run
from tests.modules.outputs_longread_assembly import fasta, identity_to_bacterium

WORKFLOW = "longread_assembly_racon"


def check(run: Run) -> None:
    polished = run.path("results/racon/isolate_1.polished.fasta")
    draft = run.path("results/flye/isolate_1/assembly.fasta")
    assert len(fasta(polished)) == len(fasta(draft))
    after, covered = identity_to_bacterium(polished, run.root)
    before, _ = identity_to_bacterium(draft, run.root)
    assert before < 0.985 and after > 0.995, (before, after)  # most of the draft's ~2% errors corrected
    assert covered > 0.9 * lra.BACTERIUM_LENGTH
