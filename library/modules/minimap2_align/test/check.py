"""minimap2 maps the long reads and splits them around the planted deletion.

Run on the `longread_sniffles` workflow (tests/modules/workflows/longread_assembly.py)."""

from __future__ import annotations

import re

from biopipelines.library.testdata import synthetic as syn
from tests.modules.harness import Run
from tests.modules.readers import samtools

WORKFLOW = "longread_sniffles"


def check(run: Run) -> None:
    bam = run.path("results/minimap2_align/sample_1.unsorted.bam")
    assert re.search(r"@RG\tID:sample_1\tSM:sample_1\tLB:sample_1\tPL:ONT", samtools("view", "-H", str(bam)))
    flagstat = samtools("flagstat", str(bam))
    primary = int(re.search(r"(\d+) \+ \d+ primary$", flagstat, re.M).group(1))
    mapped = int(re.search(r"(\d+) \+ \d+ primary mapped", flagstat).group(1))
    assert primary > 50 and mapped > 0.97 * primary
    # reads spanning the planted deletion are split around it: no alignment covers its middle
    sorted_bam = run.path("results/samtools_sort/sample_1.bam")
    contig, start, end = syn.DELETION
    middle = (start + end) // 2
    depth = samtools("depth", "-a", "-r", f"{contig}:{middle}-{middle}", str(sorted_bam)).split()
    flank = samtools("depth", "-a", "-r", f"{contig}:{start - 2000}-{start - 2000}", str(sorted_bam)).split()
    assert int(depth[2]) <= 1 and int(flank[2]) >= 10
