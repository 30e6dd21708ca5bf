"""emptyDrops keeps exactly the planted real cells.

Run on the `sc_kallisto` workflow (tests/modules/workflows/sc_fusion.py)."""

from __future__ import annotations

from biopipelines.library.testdata import synthetic_sc_fusion as sc
from tests.modules.harness import Run
from tests.modules.outputs_sc_fusion import read_mtx

WORKFLOW = "sc_kallisto"


def check(run: Run) -> None:
    real = {c.barcode for c in sc.droplets()[:sc.CELLS]}
    called = set(read_mtx(run.path("results/emptydrops/pbmc_1/filtered")))
    assert called == real
    rows = [line.split("\t") for line in run.path("results/emptydrops/pbmc_1/emptydrops.tsv").read_text()
            .splitlines()[1:]]
    assert {r[0] for r in rows if r[5] == "TRUE"} == real
    assert len(rows) == sc.CELLS + sc.AMBIENT
    assert run.path("results/emptydrops/pbmc_1/barcode_ranks.pdf").read_bytes().startswith(b"%PDF")
