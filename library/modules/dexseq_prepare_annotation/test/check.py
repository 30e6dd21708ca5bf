"""The DEXSeq annotation has one bin per planted exon, the cassette exon where planted.

Run on the `splicing_dexseq` workflow (tests/modules/workflows/splice_methyl.py)."""

from __future__ import annotations

from biopipelines.library.testdata import synthetic_splice_methyl as sm
from tests.modules.harness import Run

WORKFLOW = "splicing_dexseq"


def check(run: Run) -> None:
    rows = [line.split("\t") for line in run.path("resources/dexseq_prepare_annotation/annotation.gff").read_text()
            .splitlines()]
    genes = [r for r in rows if r[2] == "aggregate_gene"]
    parts = [r for r in rows if r[2] == "exonic_part"]
    assert len(genes) == sm.SPLICE_GENES
    assert len(parts) == 3 * sm.SPLICE_GENES  # three exons, no overlaps: one bin each
    contig, start, end = sm.cassette_exon()
    cassette = [r for r in parts if f'"{sm.CASSETTE_GENE}"' in r[8] and r[0] == contig]
    assert [int(cassette[1][3]), int(cassette[1][4])] == [start, end]
    assert 'exonic_part_number "002"' in cassette[1][8]
