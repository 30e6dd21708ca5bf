"""Salmon quantifies every planted transcript, and the planted DE transcript over 4x higher in treated.

Run on the `rnaseq_salmon_deseq2` workflow (tests/modules/workflows/core.py)."""

from __future__ import annotations

from biopipelines.library.testdata import synthetic as syn
from tests.modules.harness import Run
from tests.modules.readers import table

WORKFLOW = "rnaseq_salmon_deseq2"


def check(run: Run) -> None:
    def reads(sample):
        return {r["Name"]: float(r["NumReads"]) for r in table(run.path(f"results/salmon_quant/{sample}/quant.sf"))}
    control, treated = reads("control_1"), reads("treated_1")
    up = syn.GENE_UP.replace("gene", "tx")
    assert all(v > 40 for v in control.values())
    assert treated[up] > 4 * control[up]
