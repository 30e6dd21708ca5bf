"""CNVkit coverage: every target bin of every sample has depth, and sample_1's depth over the planted deletion,
relative to its own depth elsewhere, is about half of what the diploid sample_3 shows there.

Run on the `cnv_cnvkit` workflow (tests/modules/workflows/cnv.py)."""

from __future__ import annotations

from statistics import median

from biopipelines.library.testdata import synthetic_cnv as cnv
from tests.modules.harness import Run
from tests.modules.outputs_cnv import inside, rows

WORKFLOW = "cnv_cnvkit"


def _relative_depth(run: Run, sample: str) -> float:
    bins = rows(run, f"results/cnvkit_coverage/{sample}.targetcoverage.cnn")
    assert len(bins) == len(cnv.exons()) and all(float(b["depth"]) > 0 for b in bins), sample
    region = cnv.planted_region(cnv.DELETED_GENES)
    within = median(float(b["depth"]) for b in bins if inside(b, region))
    return within / median(float(b["depth"]) for b in bins if not inside(b, region))


def check(run: Run) -> None:
    ratio = _relative_depth(run, cnv.DELETION_SAMPLE) / _relative_depth(run, "sample_3")
    assert 0.35 < ratio < 0.65, ratio
