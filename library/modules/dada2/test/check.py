"""DADA2 recovers exactly the planted variants in their planted proportions and removes the chimera's reads.

Run on the `amplicon_dada2` workflow (tests/modules/workflows/metagenomics.py)."""

from __future__ import annotations

from biopipelines.library.testdata import synthetic_metagenomics as syn
from tests.modules.harness import Run
from tests.modules.outputs_metagenomics import check_asv_table
from tests.modules.readers import tsv

WORKFLOW = "amplicon_dada2"


def check(run: Run) -> None:
    check_asv_table(run, "results/dada2/asvs.fasta", "results/dada2/asv_table.tsv", "ASV_ID")
    track = {row["sample"]: row for row in tsv(run.path("results/dada2/read_counts.tsv"))}
    for sample in syn.AMPLICON_SAMPLES:
        row = track[sample]
        assert int(row["input"]) > 0.97 * syn.AMPLICON_PAIRS
        assert int(row["nonchimeric"]) < int(row["merged"])  # the chimera's reads were removed
        assert int(row["nonchimeric"]) > 0.8 * int(row["input"])
