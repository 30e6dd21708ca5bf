"""Cutadapt processes every read pair, keeps over 95%, and writes them all.

Run on the `germline_bcftools` workflow (tests/modules/workflows/core.py)."""

from __future__ import annotations

import gzip
import re

from tests.modules.harness import Run

WORKFLOW = "germline_bcftools"


def check(run: Run) -> None:
    report = run.path("results/cutadapt/sample_1.cutadapt.txt").read_text()
    pairs = int(re.search(r"Total read pairs processed:\s+([\d,]+)", report).group(1).replace(",", ""))
    written = int(re.search(r"Pairs written \(passing filters\):\s+([\d,]+)", report).group(1).replace(",", ""))
    assert pairs > 1000 and written > 0.95 * pairs
    with gzip.open(run.path("results/cutadapt/sample_1_R2.fastq.gz"), "rt") as handle:
        assert sum(1 for _ in handle) // 4 == written
