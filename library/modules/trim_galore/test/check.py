"""Trim Galore removes the planted Illumina adapter and keeps the pairs.

Run on the `bisulfite_targeted` workflow (tests/modules/workflows/splice_methyl.py)."""

from __future__ import annotations

import gzip
from pathlib import Path

from biopipelines.library.testdata import synthetic_splice_methyl as sm
from tests.modules.harness import Run

WORKFLOW = "bisulfite_targeted"


def fastq_sequences(path: Path) -> list[str]:
    with gzip.open(path, "rt") as handle:
        return [line.strip() for n, line in enumerate(handle) if n % 4 == 1]


def check(run: Run) -> None:
    for mate, adapter in ((1, sm.ADAPTER_R1), (2, sm.ADAPTER_R2)):
        raw = fastq_sequences(run.reads("control_1").with_name(f"control_1_R{mate}.fastq.gz"))
        trimmed = fastq_sequences(run.path(f"results/trim_galore/control_1_R{mate}.fastq.gz"))
        assert sum(adapter[:13] in s for s in raw) > 0.4 * len(raw)  # half the raw reads carry the adapter
        assert not any(adapter[:13] in s for s in trimmed)  # and none is left
        assert len(trimmed) > 0.95 * len(raw)  # pairs are kept (50 bp inserts are long enough)
        lengths = [len(s) for s in trimmed]
        assert sum(sm.SHORT_FRAGMENT - 2 <= n <= sm.SHORT_FRAGMENT for n in lengths) > 0.4 * len(lengths)
    report = run.path("results/trim_galore/control_1_R1.trimming_report.txt").read_text()
    assert "Trim Galore" in report and "AGATCGGAAGAGC" in report  # auto-detected Illumina adapter
