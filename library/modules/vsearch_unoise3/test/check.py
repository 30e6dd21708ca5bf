"""UNOISE3 denoises to the planted variants (the planted chimera is left for the next step).

Run on the `amplicon_vsearch` workflow (tests/modules/workflows/metagenomics.py)."""

from __future__ import annotations

from biopipelines.library.testdata import synthetic_metagenomics as syn
from tests.modules.harness import Run
from tests.modules.outputs_metagenomics import fasta

WORKFLOW = "amplicon_vsearch"


def check(run: Run) -> None:
    denoised = fasta(run.path("results/vsearch_unoise3/denoised.fasta"))
    assert set(syn.variants().values()) <= set(denoised.values())
    assert syn.chimera() in denoised.values()  # chimeras are removed by the next step, not by denoising
    assert all(name.startswith("ASV_") for name in denoised)
