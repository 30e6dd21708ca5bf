"""rRNA filtering removes the planted rRNA reads, and only those.

Run on the `riboseq_star_deseq2` workflow (tests/modules/workflows/smallrna_ribo.py)."""

from __future__ import annotations

import gzip

from biopipelines.library.testdata import synthetic_smallrna_ribo as srr
from tests.modules.harness import Run
from tests.modules.readers import fastq_count
from tests.modules.workflows.smallrna_ribo import TRUTH

WORKFLOW = "riboseq_star_deseq2"


def fastq_seqs(path) -> list[str]:
    with gzip.open(path, "rt") as handle:
        return [line.strip() for n, line in enumerate(handle) if n % 4 == 1]


def check(run: Run) -> None:
    sample = "control_1"
    made = TRUTH["riboseq_star_deseq2"][sample]
    trimmed = fastq_count(run.path(f"results/cutadapt/{sample}_R1.fastq.gz"))
    kept = fastq_seqs(run.path(f"results/bowtie2_rrna_filter/{sample}_R1.fastq.gz"))
    assert abs((trimmed - len(kept)) - made) <= 0.02 * made  # the rRNA reads, and only those, removed
    rrna_kmers = {seq[i:i + 20] for seq in srr.rrna().values() for i in range(len(seq) - 19)}
    assert sum(read[:20] in rrna_kmers for read in kept) <= 0.01 * len(kept)
    summary = run.path(f"results/bowtie2_rrna_filter/{sample}.rrna.bowtie2.log").read_text()
    rate = float(summary.split("% overall alignment rate")[0].split()[-1])
    assert abs(rate - 100 * srr.RRNA_SHARE) < 3
