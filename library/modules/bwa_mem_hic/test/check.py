"""BWA-MEM (Hi-C mode) keeps read pairs adjacent, pairs no mate, and maps the simulated pairs.

Run on the `hic` workflow (tests/modules/workflows/hic_somatic.py)."""

from __future__ import annotations

import re

from biopipelines.library.testdata import synthetic_hic_somatic as hs
from tests.modules.harness import Run
from tests.modules.readers import samtools

WORKFLOW = "hic"


def check(run: Run) -> None:
    bam = str(run.path("results/bwa_mem_hic/hic_1.hic.bam"))
    assert re.search(r"@RG\tID:hic_1\tSM:hic_1", samtools("view", "-H", bam))
    names = [line.split("\t")[0] for line in samtools("view", bam).splitlines()[:2000]]
    # read-name order: the records of one read pair are adjacent (what pairtools parse needs)
    assert sum(a != b for a, b in zip(names, names[1:], strict=False)) < len(set(names))
    # -P: mates are aligned on their own, so no record is flagged as a proper pair
    flagstat = samtools("flagstat", bam)
    assert re.search(r"^0 \+ 0 properly paired", flagstat, re.M), flagstat
    mapped = int(re.search(r"^(\d+) \+ 0 mapped", flagstat, re.M).group(1))
    assert mapped > 2 * hs.BACKGROUND_PAIRS * 0.95
