"""Trimmomatic keeps over 90% of the pairs, and its trimmed FASTQ holds them all.

Run on the `germline_freebayes` workflow (tests/modules/workflows/core.py)."""

from __future__ import annotations

import gzip
import re

from tests.modules.harness import Run

WORKFLOW = "germline_freebayes"


def check(run: Run) -> None:
    summary = run.path("results/trimmomatic/sample_1.trimmomatic.log").read_text()
    found = re.search(r"Input Read Pairs: (\d+) Both Surviving: (\d+)", summary)
    assert found, summary[-500:]
    total, both = (int(x) for x in found.groups())
    assert total > 1000 and both > 0.9 * total
    with gzip.open(run.path("results/trimmomatic/sample_1_R1.fastq.gz"), "rt") as handle:
        assert sum(1 for _ in handle) // 4 == both
