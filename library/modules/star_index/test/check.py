"""The STAR index holds the two synthetic contigs and every exon of the planted GTF.

Run on the `rnaseq_star_deseq2` workflow (tests/modules/workflows/core.py)."""

from __future__ import annotations

from biopipelines.library.testdata import synthetic as syn
from tests.modules.harness import Run

WORKFLOW = "rnaseq_star_deseq2"


def check(run: Run) -> None:
    index = run.path("resources/star_index")
    assert (index / "chrName.txt").read_text().split() == ["chr1", "chr2"]
    assert (index / "SA").stat().st_size > 0
    assert len((index / "exonInfo.tab").read_text().splitlines()) == 1 + 2 * syn.GENES  # the GTF's exons
