"""The sorted BAM is coordinate-sorted and indexed, with reads following the contig lengths.

Run on the `germline_bcftools` workflow (tests/modules/workflows/core.py)."""

from __future__ import annotations

from tests.modules.harness import Run
from tests.modules.readers import idxstats, samtools

WORKFLOW = "germline_bcftools"


def check(run: Run) -> None:
    bam = run.path("results/samtools_sort/sample_1.bam")
    assert "SO:coordinate" in samtools("view", "-H", str(bam))
    counts = idxstats(bam)  # idxstats needs the .bai the rule wrote
    assert counts["chr1"] > counts["chr2"] > 1000  # reads follow contig length (30 kb vs 20 kb)
