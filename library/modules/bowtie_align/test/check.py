"""Bowtie aligns the planted miRNA reads, each on the miRNA it was made from.

Run on the `smallrna_bowtie_deseq2` workflow (tests/modules/workflows/smallrna_ribo.py)."""

from __future__ import annotations

from collections import Counter

from biopipelines.library.testdata import synthetic_smallrna_ribo as srr
from tests.modules.harness import Run
from tests.modules.readers import fastq_count, samtools
from tests.modules.workflows.smallrna_ribo import TRUTH

WORKFLOW = "smallrna_bowtie_deseq2"


def check(run: Run) -> None:
    summary = run.path("results/bowtie_align/control_1.bowtie.log").read_text()
    processed = int(summary.split("# reads processed: ")[1].split()[0])
    aligned = int(summary.split("# reads with at least one alignment: ")[1].split()[0])
    made = sum(TRUTH["smallrna_bowtie_deseq2"]["control_1"].values())
    assert processed == fastq_count(run.path("results/cutadapt/control_1_R1.fastq.gz"))
    assert processed < made + 200 + 10  # adapter dimers were dropped by the length filter
    assert 0.97 * made <= aligned <= made  # the miRNA reads align, the other 22-mers do not
    bam = str(run.path("results/samtools_sort/control_1.bam"))
    assert samtools("view", "-c", "-f", "16", bam).strip() == "0"  # sense strand only
    # let-7a and let-7c differ at one base: every read made from each lands on its own miRNA
    for name in (srr.LET7A, srr.LET7C):
        seqs = Counter(line.split("\t")[9] for line in samtools("view", bam, name).splitlines())
        own = srr.mirnas()[name]
        assert seqs and all(own.startswith(seq) for seq in seqs), (name, seqs.most_common(3))
