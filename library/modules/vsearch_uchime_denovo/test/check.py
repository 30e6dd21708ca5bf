"""UCHIME removes the planted chimera and keeps exactly the planted variants.

Run on the `amplicon_vsearch` workflow (tests/modules/workflows/metagenomics.py)."""

from __future__ import annotations

from biopipelines.library.testdata import synthetic_metagenomics as syn
from tests.modules.harness import Run
from tests.modules.outputs_metagenomics import fasta, planted_asvs

WORKFLOW = "amplicon_vsearch"


def check(run: Run) -> None:
    chimeras = fasta(run.path("results/vsearch_uchime_denovo/chimeras.fasta"))
    assert syn.chimera() in chimeras.values()
    asvs = run.path("results/vsearch_uchime_denovo/asvs.fasta").read_text()
    assert ";size=" not in asvs
    assert set(planted_asvs(fasta(run.path("results/vsearch_uchime_denovo/asvs.fasta")))) == set(syn.ABUNDANCE)
