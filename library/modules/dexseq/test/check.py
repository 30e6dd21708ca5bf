"""DEXSeq puts the planted cassette exon at the top, skipped in treated, and no other gene.

Run on the `splicing_dexseq` workflow (tests/modules/workflows/splice_methyl.py)."""

from __future__ import annotations

from biopipelines.library.testdata import synthetic_splice_methyl as sm
from tests.modules.harness import Run
from tests.modules.readers import tsv as table

WORKFLOW = "splicing_dexseq"


def check(run: Run) -> None:
    rows = table(run.path("results/dexseq/dexseq_results.tsv"))
    top = rows[0]
    assert (top["groupID"], top["featureID"]) == (sm.CASSETTE_GENE, "E002"), top
    assert float(top["padj"]) < 1e-3 and float(top["log2FoldChange"]) < -1  # skipped in treated
    contig, start, end = sm.cassette_exon()
    assert (top["chr"], int(top["start"]), int(top["end"])) == (contig, start, end)
    others = [r for r in rows if r["groupID"] != sm.CASSETTE_GENE and r["padj"] != "NA"]
    assert others and all(float(r["padj"]) > 0.01 for r in others)  # no other gene is called
    assert run.path("results/dexseq/plots.pdf").stat().st_size > 1000
