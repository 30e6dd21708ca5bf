"""MEGAHIT assembles every planted genome, with the short element as a contig of its own.

Run on the `metagenome_megahit` workflow (tests/modules/workflows/metagenome_assembly.py)."""

from __future__ import annotations

from biopipelines.library.testdata import synthetic_metagenome_assembly as meta
from tests.modules.harness import Run
from tests.modules.outputs_metagenome_assembly import check_assembly, origin, planted_kmers, read_fasta

WORKFLOW = "metagenome_megahit"


def check(run: Run) -> None:
    contigs = read_fasta(run.path("results/megahit/contigs.fa"))
    assert all(header.startswith("k") and " len=" in header for header in contigs)  # MEGAHIT's own headers
    check_assembly(contigs)
    planted = planted_kmers()
    element = [s for s in contigs.values() if origin(s, planted) == meta.ELEMENT]
    assert element and all(len(s) < 1000 for s in element)  # the short element is a contig of its own
