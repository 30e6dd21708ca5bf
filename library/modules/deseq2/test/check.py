"""DESeq2 puts the planted DE gene at the top of its table (log2FC > 2, padj < 1e-6).

Run on the `rnaseq_star_deseq2` workflow (tests/modules/workflows/core.py)."""

from __future__ import annotations

from biopipelines.library.testdata import synthetic as syn
from tests.modules.harness import Run
from tests.modules.outputs_core import top_de_gene

WORKFLOW = "rnaseq_star_deseq2"


def check(run: Run) -> None:
    top = top_de_gene(run, "deseq2")
    assert top["gene_id"] == syn.GENE_UP and float(top["log2FoldChange"]) > 2 and float(top["padj"]) < 1e-6
    assert top["gene_name"] == syn.gene_name(syn.GENE_UP)  # the GTF's symbol beside the id
