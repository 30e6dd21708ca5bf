"""SINTAX gives each planted variant its planted taxonomy.

Run on the `amplicon_vsearch` workflow (tests/modules/workflows/metagenomics.py)."""

from __future__ import annotations

from biopipelines.library.testdata import synthetic_metagenomics as syn
from tests.modules.harness import Run
from tests.modules.outputs_metagenomics import fasta, planted_asvs

WORKFLOW = "amplicon_vsearch"


def check(run: Run) -> None:
    asvs = fasta(run.path("results/vsearch_uchime_denovo/asvs.fasta"))
    rows = {line.split("\t")[0]: line.split("\t") for line in
            run.path("results/vsearch_sintax/asv_taxonomy.tsv").read_text().splitlines()}
    for name, asv in planted_asvs(asvs).items():
        confident = rows[asv][3]
        assert confident == syn.TAXA[name], (name, rows[asv])
