"""The raw matrix holds every planted cell with its planted genes and UMI totals.

Run on the `sc_kallisto` workflow (tests/modules/workflows/sc_fusion.py)."""

from __future__ import annotations

import json

from biopipelines.library.testdata import synthetic_sc_fusion as sc
from tests.modules.harness import Run
from tests.modules.outputs_sc_fusion import check_planted_cells, read_mtx

WORKFLOW = "sc_kallisto"


def check(run: Run) -> None:
    check_planted_cells(read_mtx(run.path("results/bustools_count/pbmc_1/raw")))
    inspect = json.loads(run.path("results/bustools_count/pbmc_1/inspect.json").read_text())
    assert inspect["numBarcodes"] == sc.CELLS + sc.AMBIENT
    assert inspect["percentageBarcodesOnWhitelist"] == 100
