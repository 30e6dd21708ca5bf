"""Cutadapt removes the planted primers, so reads start at the planted insert.

Run on the `amplicon_vsearch` workflow (tests/modules/workflows/metagenomics.py)."""

from __future__ import annotations

import gzip
import re

from biopipelines.library.testdata import synthetic_metagenomics as syn
from tests.modules.harness import Run

WORKFLOW = "amplicon_vsearch"


def check(run: Run) -> None:
    sample = syn.AMPLICON_SAMPLES[0]
    report = run.path(f"results/cutadapt_primers/{sample}.cutadapt.txt").read_text()
    pairs = int(re.search(r"Total read pairs processed:\s+([\d,]+)", report).group(1).replace(",", ""))
    written = int(re.search(r"Pairs written \(passing filters\):\s+([\d,]+)", report).group(1).replace(",", ""))
    assert pairs == syn.AMPLICON_PAIRS and written > 0.97 * pairs
    with gzip.open(run.path(f"results/cutadapt_primers/{sample}_R1.fastq.gz"), "rt") as handle:
        reads = [line.strip() for number, line in enumerate(handle) if number % 4 == 1]
    assert len(reads) == written
    assert sum(r.startswith(syn.FORWARD_PRIMER[:10]) for r in reads) < 0.01 * written  # primers are gone
    inserts = {seq[:30] for seq in syn.variants().values()} | {syn.chimera()[:30]}
    assert sum(r[:30] in inserts for r in reads) > 0.9 * written  # reads now start at the insert
