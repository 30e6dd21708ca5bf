"""STAR maps over 95% of the reads and splices them across the first planted gene's intron.

Run on the `rnaseq_star_deseq2` workflow (tests/modules/workflows/core.py)."""

from __future__ import annotations

from biopipelines.library.testdata import synthetic as syn
from tests.modules.harness import Run
from tests.modules.readers import mapped_fraction, samtools

WORKFLOW = "rnaseq_star_deseq2"


def check(run: Run) -> None:
    bam = run.path("results/star_align/control_1/Aligned.sortedByCoord.out.bam")
    assert mapped_fraction(bam) > 0.95
    first = syn.genes()[0]
    region = f"{first.contig}:{first.exons[0][0]}-{first.exons[1][1]}"
    cigars = [line.split("\t")[5] for line in samtools("view", str(bam), region).splitlines()]
    assert sum("N" in c for c in cigars) > 10  # spliced alignments across the first gene's intron
