"""End-to-end check of the amplicon workflow with DADA2 (tests/modules/workflows/metagenomics.py): SINTAX
classifies DADA2's ASVs. Each module's own output check (Kraken2, VSEARCH, DADA2...) lives beside the module:
library/modules/<id>/test/check.py.
"""

from __future__ import annotations

from biopipelines.library.testdata import synthetic_metagenomics as syn
from tests.modules.outputs_metagenomics import fasta, planted_asvs


def test_dada2_taxonomy_uses_the_dada2_asvs(runs):
    """With DADA2, SINTAX classifies DADA2's ASVs: every planted variant gets its planted taxonomy."""
    run = runs("amplicon_dada2")
    asvs = fasta(run.path("results/dada2/asvs.fasta"))
    rows = {line.split("\t")[0]: line.split("\t") for line in
            run.path("results/vsearch_sintax/asv_taxonomy.tsv").read_text().splitlines()}
    for name, asv in planted_asvs(asvs).items():
        assert rows[asv][3] == syn.TAXA[name]
