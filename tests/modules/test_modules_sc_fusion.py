"""End-to-end check of the single-cell workflow (tests/modules/workflows/sc_fusion.py): it keeps exactly the planted
cells, each with its own cell type's genes. Each module's own output check (kallisto, bustools, emptyDrops,
STARsolo, STAR chimeric...) lives beside the module: library/modules/<id>/test/check.py.
"""

from __future__ import annotations

from biopipelines.library.testdata import synthetic_sc_fusion as sc
from tests.modules.checks import module_check
from tests.modules.outputs_sc_fusion import read_mtx


def test_scrnaseq_workflow_keeps_exactly_the_planted_cells(runs):
    run = runs("sc_kallisto")
    module_check("emptydrops").check(run)
    filtered = read_mtx(run.path("results/emptydrops/pbmc_1/filtered"))
    for cell in sc.droplets()[:sc.CELLS]:
        assert set(filtered[cell.barcode]) <= set(sc.TYPE_GENES[cell.cell_type])
