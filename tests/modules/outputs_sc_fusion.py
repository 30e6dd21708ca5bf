"""Readers and planted-truth comparisons that several module checks of the sc_fusion workflows
(tests/modules/workflows/sc_fusion.py) share; a helper only one check uses stays in that check.py."""

from __future__ import annotations

import gzip
from pathlib import Path

from biopipelines.library.testdata import synthetic_sc_fusion as sc


def _open(path: Path):
    return gzip.open(path, "rt") if path.suffix == ".gz" else path.open()


def read_mtx(folder: Path) -> dict[str, dict[str, int]]:
    """A 10x MTX directory (genes x barcodes) as {barcode: {gene_id: UMIs}}."""
    def first(stem: str) -> Path:
        return next(p for p in (folder / stem, folder / f"{stem}.gz") if p.exists())
    with _open(first("features.tsv")) as handle:
        genes = [line.split("\t")[0] for line in handle.read().splitlines()]
    with _open(first("barcodes.tsv")) as handle:
        barcodes = handle.read().split()
    counts: dict[str, dict[str, int]] = {}
    with _open(first("matrix.mtx")) as handle:
        lines = [line for line in handle.read().splitlines() if not line.startswith("%")]
    rows, cols, _ = (int(x) for x in lines[0].split())
    assert (rows, cols) == (len(genes), len(barcodes)), "matrix dimensions differ from features/barcodes"
    for line in lines[1:]:
        gene, barcode, value = line.split()
        cell = counts.setdefault(barcodes[int(barcode) - 1], {})
        cell[genes[int(gene) - 1]] = cell.get(genes[int(gene) - 1], 0) + int(float(value))
    return counts


def check_planted_cells(matrix: dict[str, dict[str, int]]) -> None:
    """Every real cell is in the matrix with its planted UMI total (UMI collapsing undid the PCR duplicates) and
    only its own cell type's genes."""
    real = sc.droplets()[:sc.CELLS]
    for cell in real:
        found = matrix.get(cell.barcode, {})
        planted = sum(cell.umis.values())
        assert 0.9 * planted <= sum(found.values()) <= planted, (cell.barcode, sum(found.values()), planted)
        assert set(found) <= set(sc.TYPE_GENES[cell.cell_type]), (cell.cell_type, sorted(found))
        assert all(found.get(g, 0) >= 0.8 * n for g, n in cell.umis.items() if n >= 20)
    empties = [sum(matrix.get(c.barcode, {}).values()) for c in sc.droplets()[sc.CELLS:]]
    assert max(empties) <= max(sc.UMIS_PER_EMPTY)  # empty droplets stay small
