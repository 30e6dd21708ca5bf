"""NanoStat counts every simulated long read and reports their 5-10 kb N50.

Run on the `longread_sniffles` workflow (tests/modules/workflows/longread_assembly.py)."""

from __future__ import annotations

import re

from biopipelines.library.testdata import synthetic_longread_assembly as lra
from tests.modules.harness import Run

WORKFLOW = "longread_sniffles"


def check(run: Run) -> None:
    report = run.path("results/nanostat/sample_1.nanostat.txt").read_text()
    reads, _ = lra.count_fastq(run.reads("sample_1"))
    assert int(re.search(r"Number of reads:\s+([\d,.]+)", report).group(1).replace(",", "").split(".")[0]) == reads
    n50 = float(re.search(r"Read length N50:\s+([\d,.]+)", report).group(1).replace(",", ""))
    assert 5_000 <= n50 <= 11_000  # simulated 5-10 kb reads, ~5% longer or shorter from indel errors
