"""minimap2 aligns every full-length cDNA read (both strands) with its introns: reads of the novel exon-skipping
isoform jump the planted skipped intron in stage_b only, and the per-sample read group is set.

Run on the `longread_isoforms_stringtie` workflow (tests/modules/workflows/longread_isoforms.py)."""

from __future__ import annotations

import re

from biopipelines.library.testdata import synthetic_longread_isoforms as iso
from tests.modules.harness import Run
from tests.modules.readers import samtools

WORKFLOW = "longread_isoforms_stringtie"
CIGAR = re.compile(r"(\d+)([MIDNSHP=X])")


def skipped_intron_reads(bam: str) -> int:
    """Reads with an N operation exactly over SKIPPED_INTRON (exon 1 joined to exon 3)."""
    found = 0
    for line in samtools("view", "-F", "0x904", bam).splitlines():
        fields = line.split("\t")
        position = int(fields[3])
        for length, op in CIGAR.findall(fields[5]):
            if op == "N" and (position, position + int(length) - 1) == iso.SKIPPED_INTRON:
                found += 1
            if op in "MDN=X":
                position += int(length)
    return found


def check(run: Run) -> None:
    for sample in iso.SAMPLES:
        bam = str(run.path(f"results/minimap2_splice/{sample}.unsorted.bam"))
        assert f"@RG\tID:{sample}\tSM:{sample}" in samtools("view", "-H", bam)
        flagstat = samtools("flagstat", bam)
        primary = int(re.search(r"(\d+) \+ \d+ primary$", flagstat, re.M).group(1))
        mapped = int(re.search(r"(\d+) \+ \d+ primary mapped", flagstat).group(1))
        assert primary == sum(iso.EXPRESSION[sample].values()) and mapped >= 0.98 * primary
    skipping = iso.EXPRESSION["stage_b"]["NOVEL_SKIP"]
    assert skipped_intron_reads(str(run.path("results/minimap2_splice/stage_a.unsorted.bam"))) == 0
    assert skipped_intron_reads(str(run.path("results/minimap2_splice/stage_b.unsorted.bam"))) >= 0.9 * skipping
