"""End-to-end checks of the small RNA-seq and Ribo-seq workflows (tests/modules/workflows/smallrna_ribo.py): the
planted miRNA tops the DESeq2 table, and footprints are counted on every CDS with the planted gene up. Each
module's own output check (Bowtie, idxstats, miRNA counts, rRNA filter, periodicity...) lives beside the module:
library/modules/<id>/test/check.py.
"""

from __future__ import annotations

from biopipelines.library.testdata import synthetic_smallrna_ribo as srr
from tests.modules.readers import table


def test_small_rnaseq_workflow_finds_the_planted_mirna(runs):
    run = runs("smallrna_bowtie_deseq2")
    rows = table(run.path("results/deseq2/de_results.tsv"))
    top = rows[0]
    assert top["gene_id"] == srr.MIR_UP and float(top["log2FoldChange"]) > 2 and float(top["padj"]) < 1e-6
    assert all(float(r["padj"]) > 0.01 for r in rows[1:] if r["padj"] != "NA")
    html = run.path("results/multiqc/multiqc_report.html").read_text(errors="replace")
    assert "miRNAs detected" in html  # the count step's custom-content table reached the report


def test_riboseq_workflow_counts_footprints_per_cds(runs):
    run = runs("riboseq_star_deseq2")
    rows = table(run.path("results/featurecounts/counts.tsv"))
    counts = {r["Geneid"]: [int(v) for k, v in r.items() if k.endswith(".bam")] for r in rows}
    assert len(counts) == len(srr.coding_genes())
    assert all(min(v) > 30 for v in counts.values())  # every CDS, both strands, counted in every sample
    up = counts[srr.RIBO_GENE_UP]
    assert sum(up[3:]) > 4 * sum(up[:3])
    top = table(run.path("results/deseq2/de_results.tsv"))[0]
    assert top["gene_id"] == srr.RIBO_GENE_UP and float(top["log2FoldChange"]) > 2
    html = run.path("results/multiqc/multiqc_report.html").read_text(errors="replace")
    assert "Frame 0 fraction" in html  # the periodicity table reached the report
