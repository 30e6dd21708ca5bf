"""PC1 separates the two planted populations (|correlation| > 0.9) and explains the most variance.

Run on the `gwas_plink` workflow (tests/modules/workflows/gwas.py)."""

from __future__ import annotations

import statistics

from biopipelines.library.testdata import synthetic_gwas as gw
from tests.modules.harness import Run
from tests.modules.outputs_gwas import rows

WORKFLOW = "gwas_plink"


def check(run: Run) -> None:
    pcs = rows(run.path("results/plink2_pca/cohort.eigenvec"))
    population = gw.population()
    pc1 = [float(r["PC1"]) for r in pcs]
    pops = [float(population[r["IID"]]) for r in pcs]
    assert abs(statistics.correlation(pc1, pops)) > 0.9
    eigenvalues = [float(v) for v in run.path("results/plink2_pca/cohort.eigenval").read_text().split()]
    assert eigenvalues[0] == max(eigenvalues) and eigenvalues[0] > 2 * eigenvalues[1]
