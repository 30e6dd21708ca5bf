"""The distance matrix gives every pair of isolates its planted number of vertical substitutions (the transmission
pair 1 SNP apart), and at the 5-SNP threshold the pair is the only cluster.

Run on the `outbreak_gubbins_iqtree` workflow (tests/modules/workflows/outbreak.py)."""

from __future__ import annotations

from biopipelines.library.testdata import synthetic_outbreak as ob
from tests.modules.harness import Run
from tests.modules.outputs_outbreak import clusters, distance_matrix

WORKFLOW = "outbreak_gubbins_iqtree"


def check(run: Run) -> None:
    found = distance_matrix(run.path("results/snp_dists/snp_distances.tsv"))
    planted = ob.distances()
    assert {pair: found[pair] for pair in planted} == planted
    table = clusters(run.path("results/snp_dists/clusters.tsv"))
    assert table[0]["cluster"] == "C1" and set(table[0]["members"].split(",")) == ob.PAIR
    assert int(table[0]["max_internal_snps"]) == ob.PAIR_DISTANCE
    assert [row["cluster"] for row in table[1:]] == ["singleton"] * (len(ob.ISOLATES) - 2)
    assert all(ob.REFERENCE_NAME not in row["members"].split(",") for row in table)
