"""kallisto quant finds the planted DE transcript, and DESeq2 on it puts the planted gene on top.

Run on the `rnaseq_kallisto_deseq2` workflow (tests/modules/workflows/sc_fusion.py)."""

from __future__ import annotations

from biopipelines.library.testdata import synthetic as syn
from tests.modules.harness import Run

WORKFLOW = "rnaseq_kallisto_deseq2"


def check(run: Run) -> None:
    def reads(sample):
        rows = [line.split("\t") for line in run.path(f"results/kallisto_quant/{sample}/quant.sf").read_text()
                .splitlines()]
        assert rows[0] == ["Name", "Length", "EffectiveLength", "TPM", "NumReads"]
        return {r[0]: float(r[4]) for r in rows[1:]}
    control, treated = reads("control_1"), reads("treated_1")
    up = syn.GENE_UP.replace("gene", "tx")
    assert len(control) == syn.GENES and all(v > 40 for v in control.values())
    assert treated[up] > 4 * control[up]
    # the DE step read the quant.sf files through tximport: the planted gene tops the table
    top = [line.split("\t") for line in run.path("results/deseq2/de_results.tsv").read_text().splitlines()[:2]]
    row = dict(zip(top[0], top[1], strict=True))
    assert row["gene_id"] == syn.GENE_UP and float(row["log2FoldChange"]) > 2 and float(row["padj"]) < 1e-6
