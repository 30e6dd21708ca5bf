"""CNVkit reference pooled from the four samples: one row per target bin with GC content from the FASTA
(random sequence: about 0.5) and expected log2 depths that are flat (spread below 0.3), since the pool's median
outvotes the one sample with each planted CNV.

Run on the `cnv_cnvkit` workflow (tests/modules/workflows/cnv.py)."""

from __future__ import annotations

from statistics import median, pstdev

from biopipelines.library.testdata import synthetic_cnv as cnv
from tests.modules.harness import Run
from tests.modules.outputs_cnv import rows

WORKFLOW = "cnv_cnvkit"


def check(run: Run) -> None:
    bins = [b for b in rows(run, "results/cnvkit_reference/reference.cnn") if b["gene"] != "Antitarget"]
    assert len(bins) == len(cnv.exons())
    assert 0.4 < median(float(b["gc"]) for b in bins) < 0.6
    assert pstdev(float(b["log2"]) for b in bins) < 0.3
