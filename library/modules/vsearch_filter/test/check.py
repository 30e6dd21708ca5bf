"""VSEARCH filtering keeps most reads and labels each with its sample.

Run on the `amplicon_vsearch` workflow (tests/modules/workflows/metagenomics.py)."""

from __future__ import annotations

from biopipelines.library.testdata import synthetic_metagenomics as syn
from tests.modules.harness import Run

WORKFLOW = "amplicon_vsearch"


def check(run: Run) -> None:
    for sample in syn.AMPLICON_SAMPLES:
        headers = [line for line in run.path(f"results/vsearch_filter/{sample}.filtered.fasta").read_text()
                   .splitlines() if line.startswith(">")]
        assert len(headers) > 0.85 * syn.AMPLICON_PAIRS
        assert all(h.startswith(f">{sample}.") and h.endswith(f";sample={sample}") for h in headers)
