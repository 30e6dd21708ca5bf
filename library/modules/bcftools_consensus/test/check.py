"""The consensus is the synthetic genome with the planted SNV applied, and nothing else changed.

Run on the `viral_bcftools` workflow (tests/modules/workflows/core.py)."""

from __future__ import annotations

from biopipelines.library.testdata import synthetic as syn
from tests.modules.harness import Run

WORKFLOW = "viral_bcftools"


def check(run: Run) -> None:
    lines = run.path("results/bcftools_consensus/sample_1.consensus.fa").read_text().splitlines()
    assert all(line == ">sample_1" for line in lines if line.startswith(">"))
    consensus = "".join(line for line in lines if not line.startswith(">"))
    expected = "".join(syn.variant_genome().values())  # the reference with the planted SNV applied
    assert consensus == expected
    assert consensus != "".join(syn.genome().values())
