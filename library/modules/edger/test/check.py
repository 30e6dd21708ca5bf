"""edgeR puts the planted DE gene at the top of its table (logFC > 2, FDR < 1e-6).

Run on the `rnaseq_hisat2_edger` workflow (tests/modules/workflows/core.py)."""

from __future__ import annotations

from biopipelines.library.testdata import synthetic as syn
from tests.modules.harness import Run
from tests.modules.outputs_core import top_de_gene

WORKFLOW = "rnaseq_hisat2_edger"


def check(run: Run) -> None:
    top = top_de_gene(run, "edger")
    assert top["gene_id"] == syn.GENE_UP and float(top["logFC"]) > 2 and float(top["FDR"]) < 1e-6
    assert top["gene_name"] == syn.gene_name(syn.GENE_UP)  # the GTF's symbol beside the id
