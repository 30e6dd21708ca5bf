"""Readers and planted-truth comparisons that several module checks of the smallrna_ribo workflows
(tests/modules/workflows/smallrna_ribo.py) share; a helper only one check uses stays in that check.py."""

from __future__ import annotations

from tests.modules.harness import Run


def idxstats_counts(run: Run, sample: str) -> dict[str, int]:
    rows = run.path(f"results/samtools_idxstats/{sample}.idxstats.tsv").read_text().splitlines()
    return {r.split("\t")[0]: int(r.split("\t")[2]) for r in rows if not r.startswith("*")}
