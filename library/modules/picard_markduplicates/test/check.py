"""Picard MarkDuplicates examines the pairs and finds little duplication in the synthetic library.

Run on the `germline_freebayes` workflow (tests/modules/workflows/core.py)."""

from __future__ import annotations

from tests.modules.harness import Run
from tests.modules.outputs_core import first_sample
from tests.modules.readers import idxstats

WORKFLOW = "germline_freebayes"


def check(run: Run) -> None:
    sample = first_sample(run)
    metrics = run.path(f"results/picard_markduplicates/{sample}.metrics.txt").read_text().splitlines()
    header = next(i for i, line in enumerate(metrics) if line.startswith("LIBRARY"))
    row = dict(zip(metrics[header].split("\t"), metrics[header + 1].split("\t"), strict=False))
    assert int(row["READ_PAIRS_EXAMINED"]) > 1000
    assert float(row["PERCENT_DUPLICATION"] or 0) < 0.5
    assert idxstats(run.path(f"results/picard_markduplicates/{sample}.bam"))["chr1"] > 1000
