"""Dereplication keeps every planted variant, the most abundant first.

Run on the `amplicon_vsearch` workflow (tests/modules/workflows/metagenomics.py)."""

from __future__ import annotations

import re

from biopipelines.library.testdata import synthetic_metagenomics as syn
from tests.modules.harness import Run
from tests.modules.outputs_metagenomics import fasta

WORKFLOW = "amplicon_vsearch"


def check(run: Run) -> None:
    text = run.path("results/vsearch_dereplicate/uniques.fasta").read_text()
    sizes = [int(s) for s in re.findall(r";size=(\d+)", text)]
    assert sizes == sorted(sizes, reverse=True) and min(sizes) >= 2
    uniques = fasta(run.path("results/vsearch_dereplicate/uniques.fasta"))
    assert set(syn.variants().values()) <= set(uniques.values())
    # the most abundant unique sequence is the most abundant planted variant over both samples (A+... : B/C tie)
    assert uniques["Uniq1"] in set(syn.variants().values())
