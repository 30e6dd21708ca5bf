"""CNVkit target/antitarget bins: one target bin per planted 150 bp exon (smaller than the average bin size, so
none is split), each carrying its gene name from the capture BED, and no antitarget bins (the 450 bp gaps
between exons are far below CNVkit's minimum antitarget size).

Run on the `cnv_cnvkit` workflow (tests/modules/workflows/cnv.py)."""

from __future__ import annotations

from biopipelines.library.testdata import synthetic_cnv as cnv
from tests.modules.harness import Run

WORKFLOW = "cnv_cnvkit"


def check(run: Run) -> None:
    bins = [line.split("\t") for line in run.path("results/cnvkit_bins/targets.bed").read_text().splitlines()]
    assert [(b[0], int(b[1]), int(b[2]), b[3]) for b in bins] == [
        (e.contig, e.start, e.end, e.gene) for e in cnv.exons()]
    assert run.path("results/cnvkit_bins/antitargets.bed").read_text().strip() == ""
    access = run.path("results/cnvkit_bins/access.bed").read_text().split()
    assert access[0] == "chr1" and len(access) == 6, access  # the whole of both contigs is accessible
