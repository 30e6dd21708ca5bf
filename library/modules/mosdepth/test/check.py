"""mosdepth reports the simulated ~25x depth, with over 95% of the genome at 5x or more.

Run on the `germline_bcftools` workflow (tests/modules/workflows/core.py)."""

from __future__ import annotations

from tests.modules.harness import Run
from tests.modules.readers import table

WORKFLOW = "germline_bcftools"


def check(run: Run) -> None:
    rows = table(run.path("results/mosdepth/sample_1.mosdepth.summary.txt"))
    mean = {r["chrom"]: float(r["mean"]) for r in rows}
    assert 15 < mean["total"] < 30  # simulated at 25x, less the trimmed bases
    dist = [line.split("\t") for line in run.path("results/mosdepth/sample_1.mosdepth.global.dist.txt")
            .read_text().splitlines()]
    at_least_5x = next(float(f) for c, d, f in dist if c == "total" and d == "5")
    assert at_least_5x > 0.95
