"""samtools flagstat counts every trimmed read, over 95% mapped and 90% properly paired.

Run on the `metagenome_megahit` workflow (tests/modules/workflows/metagenome_assembly.py)."""

from __future__ import annotations

import gzip
import re

from biopipelines.library.testdata import synthetic_metagenome_assembly as meta
from tests.modules.harness import Run

WORKFLOW = "metagenome_megahit"


def check(run: Run) -> None:
    for sample in meta.DEPTH:
        text = run.path(f"results/samtools_flagstat/{sample}.flagstat.txt").read_text()
        total = int(re.search(r"^(\d+) \+ 0 in total", text, re.M).group(1))
        with gzip.open(run.path(f"results/fastp/{sample}_R1.fastq.gz"), "rt") as handle:
            pairs = sum(1 for _ in handle) // 4
        assert total == 2 * pairs  # every trimmed read, no secondary alignments from end-to-end Bowtie2
        assert float(re.search(r"mapped \(([\d.]+)%", text).group(1)) > 95
        assert float(re.search(r"properly paired \(([\d.]+)%", text).group(1)) > 90
