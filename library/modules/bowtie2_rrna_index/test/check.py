"""The rRNA Bowtie2 index files are written.

Run on the `riboseq_star_deseq2` workflow (tests/modules/workflows/smallrna_ribo.py)."""

from __future__ import annotations

from tests.modules.harness import Run

WORKFLOW = "riboseq_star_deseq2"


def check(run: Run) -> None:
    index = run.path("resources/bowtie2_rrna_index")
    assert (index / "rrna.1.bt2").stat().st_size > 0 and (index / "rrna.rev.1.bt2").stat().st_size > 0
