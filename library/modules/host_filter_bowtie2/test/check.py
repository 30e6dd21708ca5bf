"""Host filtering removes the planted host pairs and keeps over 99% of the microbial ones.

Run on the `profiling_kraken2` workflow (tests/modules/workflows/metagenomics.py)."""

from __future__ import annotations

import gzip
import re

from biopipelines.library.testdata import synthetic_metagenomics as syn
from tests.modules.harness import Run

WORKFLOW = "profiling_kraken2"


def fastq_names(path) -> list[str]:
    with gzip.open(path, "rt") as handle:
        return [line[1:].split()[0] for number, line in enumerate(handle) if number % 4 == 0]


def check(run: Run) -> None:
    for sample in syn.MIXTURE:
        summary = run.path(f"results/host_filter_bowtie2/{sample}.bowtie2.log").read_text()
        total = syn.MICROBIAL_PAIRS + syn.HOST_PAIRS
        assert int(re.search(r"(\d+) reads; of these", summary).group(1)) == total
        names = {n.split("/")[0] for n in fastq_names(run.path(f"results/host_filter_bowtie2/{sample}_R1.fastq.gz"))}
        assert fastq_names(run.path(f"results/host_filter_bowtie2/{sample}_R2.fastq.gz"))  # mate 2 written too
        host_left = sum(n.startswith("host_") for n in names)
        microbial = sum(n.startswith("mic") for n in names)
        assert host_left < 0.01 * syn.HOST_PAIRS, f"{host_left} host pairs left in {sample}"
        assert microbial > 0.99 * syn.MICROBIAL_PAIRS, f"only {microbial} microbial pairs kept in {sample}"
