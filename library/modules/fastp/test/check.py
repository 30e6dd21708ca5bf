"""fastp keeps at least 95% of the synthetic reads, and its trimmed FASTQ holds what its report says.

Run on the `rnaseq_star_deseq2` workflow (tests/modules/workflows/core.py)."""

from __future__ import annotations

import gzip
import json

from tests.modules.harness import Run
from tests.modules.outputs_core import first_sample

WORKFLOW = "rnaseq_star_deseq2"


def check(run: Run) -> None:
    report = json.loads(run.path(f"results/fastp/{first_sample(run)}.fastp.json").read_text())
    before, after = report["summary"]["before_filtering"], report["summary"]["after_filtering"]
    assert before["total_reads"] > 1000 and after["total_reads"] >= 0.95 * before["total_reads"]
    with gzip.open(run.path(f"results/fastp/{first_sample(run)}_R1.fastq.gz"), "rt") as handle:
        assert sum(1 for _ in handle) // 4 * 2 == after["total_reads"]
