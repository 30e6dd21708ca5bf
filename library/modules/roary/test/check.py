"""Roary puts every planted gene in the genomes that carry it (the presence/absence truth), counts the 6 core and 3
shell genes, and aligns the core genes of all four genomes to one length.

Run on the `pangenome_roary_iqtree` workflow (tests/modules/workflows/pangenome.py)."""

from __future__ import annotations

from biopipelines.library.testdata import synthetic_pangenome as pan
from tests.modules.harness import Run
from tests.modules.outputs_pangenome import presence_absence, summary_counts
from tests.modules.readers import fasta

WORKFLOW = "pangenome_roary_iqtree"


def check(run: Run) -> None:
    carriers = presence_absence(run.path("results/roary/gene_presence_absence.csv"), pan.GENOMES)
    for number in range(1, pan.CORE_GENES + 1):
        assert carriers[f"{pan.CORE_PRODUCT} {number}"] == set(pan.GENOMES), number
    for number, genomes in pan.ACCESSORY.items():
        assert carriers[f"{pan.ACCESSORY_PRODUCT} {number}"] == genomes, number
    assert len(carriers) == pan.CORE_GENES + len(pan.ACCESSORY)  # nothing but the planted genes
    counts = summary_counts(run.path("results/roary/summary_statistics.txt"))
    assert counts["Core genes"] == pan.CORE_GENES  # in all 4 genomes
    assert counts["Shell genes"] == len(pan.ACCESSORY)  # in 1-3 of 4 genomes (25-75%)
    assert counts["Total genes"] == pan.CORE_GENES + len(pan.ACCESSORY)
    rtab = run.path("results/roary/gene_presence_absence.Rtab").read_text().splitlines()
    assert rtab[0].split("\t")[1:] == pan.GENOMES and len(rtab) == 1 + counts["Total genes"]
    core = fasta(run.path("results/roary/core_gene_alignment.aln"))
    core_length = sum(len(cds) for cds in pan.ancestral_genes()[0])
    assert set(core) == set(pan.GENOMES)
    assert {len(seq) for seq in core.values()} == {core_length}  # no gaps: substitutions only
