"""CNVkit fix and segment: sample_1's bins in the planted deletion have a median log2 copy ratio near -1 and
sample_2's in the planted duplication near log2(3/2), while bins outside them stay near 0, after library sizes
that differ by up to 50%; segmentation breaks at the planted ends (one segment spans each CNV).

Run on the `cnv_cnvkit` workflow (tests/modules/workflows/cnv.py)."""

from __future__ import annotations

from statistics import median

from biopipelines.library.testdata import synthetic_cnv as cnv
from tests.modules.harness import Run
from tests.modules.outputs_cnv import inside, planted, rows

WORKFLOW = "cnv_cnvkit"


def check(run: Run) -> None:
    for sample, (region, copies) in planted().items():
        bins = rows(run, f"results/cnvkit_segment/{sample}.cnr")
        assert len(bins) == len(cnv.exons()), len(bins)
        within = [float(b["log2"]) for b in bins if inside(b, region)]
        outside = [float(b["log2"]) for b in bins if not inside(b, region)]
        assert len(within) == 2 * cnv.EXONS_PER_GENE
        # a pooled reference that includes the sample itself pulls its ratio a little towards 0
        expected = -1.0 if copies == 1 else 0.585
        assert abs(median(within) - expected) < 0.3, (sample, median(within))
        assert abs(median(outside)) < 0.1, (sample, median(outside))
        segments = rows(run, f"results/cnvkit_segment/{sample}.cns")
        assert any(inside(s, (region[0], region[1] - cnv.EXON_SPACING, region[2] + cnv.EXON_SPACING))
                   and int(s["probes"]) >= 2 * cnv.EXONS_PER_GENE - 1 for s in segments), segments
