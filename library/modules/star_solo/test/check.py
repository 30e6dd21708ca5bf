"""STARsolo's raw matrix holds every planted cell with its planted genes and UMI totals.

Run on the `sc_starsolo` workflow (tests/modules/workflows/sc_fusion.py)."""

from __future__ import annotations

from tests.modules.harness import Run
from tests.modules.outputs_sc_fusion import check_planted_cells, read_mtx

WORKFLOW = "sc_starsolo"


def check(run: Run) -> None:
    check_planted_cells(read_mtx(run.path("results/star_solo/pbmc_1/Solo.out/Gene/raw")))
    summary = dict(line.split(",", 1) for line in run.path("results/star_solo/pbmc_1/Solo.out/Gene/Summary.csv")
                   .read_text().splitlines())
    assert float(summary["Reads With Valid Barcodes"]) > 0.99
    assert float(summary["Reads Mapped to Gene: Unique Gene"]) > 0.9
