"""The ASV table holds exactly the planted variants in their planted proportions, without the chimera.

Run on the `amplicon_vsearch` workflow (tests/modules/workflows/metagenomics.py)."""

from __future__ import annotations

from tests.modules.harness import Run
from tests.modules.outputs_metagenomics import check_asv_table

WORKFLOW = "amplicon_vsearch"


def check(run: Run) -> None:
    check_asv_table(run, "results/vsearch_uchime_denovo/asvs.fasta", "results/vsearch_otutab/asv_table.tsv",
                    "#OTU ID")
