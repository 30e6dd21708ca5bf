"""VSEARCH merges the pairs into full planted inserts.

Run on the `amplicon_vsearch` workflow (tests/modules/workflows/metagenomics.py)."""

from __future__ import annotations

import gzip

from biopipelines.library.testdata import synthetic_metagenomics as syn
from tests.modules.harness import Run

WORKFLOW = "amplicon_vsearch"


def check(run: Run) -> None:
    sample = syn.AMPLICON_SAMPLES[0]
    with gzip.open(run.path(f"results/vsearch_mergepairs/{sample}.merged.fastq.gz"), "rt") as handle:
        merged = [line.strip() for number, line in enumerate(handle) if number % 4 == 1]
    assert len(merged) > 0.95 * syn.AMPLICON_PAIRS
    assert sum(len(m) == syn.INSERT_LEN for m in merged) > 0.95 * len(merged)  # full inserts, primers removed
