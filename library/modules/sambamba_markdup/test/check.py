"""sambamba flags duplicates without dropping any read of the sorted BAM.

Run on the `chipseq_bowtie2_macs` workflow (tests/modules/workflows/core.py)."""

from __future__ import annotations

from tests.modules.harness import Run
from tests.modules.readers import idxstats, samtools

WORKFLOW = "chipseq_bowtie2_macs"


def check(run: Run) -> None:
    marked = run.path("results/sambamba_markdup/chip_1.bam")
    assert "ID:sambamba" in samtools("view", "-H", str(marked))
    # duplicates are flagged, never dropped: the read count is the sorted BAM's
    assert samtools("view", "-c", str(marked)) == samtools("view", "-c", str(run.path(
        "results/samtools_sort/chip_1.bam")))
    assert idxstats(marked)["chr1"] > 1000
