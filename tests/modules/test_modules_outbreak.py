"""End-to-end check of the outbreak core-SNP phylogeny workflow (tests/modules/workflows/outbreak.py) on six
simulated isolates with a planted tree (library/testdata/synthetic_outbreak.py): the planted clades, the exact
planted SNP distances (the transmission pair 1 SNP apart, the closest pair) and the cluster table come out of the
whole chain from reads to tree. Each module's own output check (pseudogenome, alignment, Gubbins, snp-sites,
IQ-TREE, SNP distances) lives beside the module: library/modules/<id>/test/check.py.
"""

from __future__ import annotations

from biopipelines.library.testdata import synthetic_outbreak as ob
from biopipelines.library.testdata.newick import has_split, tree_splits
from tests.modules.outputs_outbreak import clusters, distance_matrix


def test_tree_distances_and_clusters_recover_the_planted_outbreak(runs):
    """With Gubbins: the tree has both planted clades and the pair; every pairwise distance is the planted count of
    vertical substitutions; the pair is the only cluster at the threshold."""
    run = runs("outbreak_gubbins_iqtree")
    newick = run.path("results/iqtree/core_genome.treefile").read_text()
    assert tree_splits(newick)[0] == {*ob.ISOLATES, ob.REFERENCE_NAME}
    for clade in (ob.CLADE_A, ob.CLADE_B, ob.PAIR):
        assert has_split(newick, set(clade)), (clade, newick)
    found = distance_matrix(run.path("results/snp_dists/snp_distances.tsv"))
    planted = ob.distances()
    assert {pair: found[pair] for pair in planted} == planted
    closest = min(planted, key=lambda pair: found[pair])
    assert closest == frozenset(ob.PAIR) and found[closest] == ob.PAIR_DISTANCE
    table = clusters(run.path("results/snp_dists/clusters.tsv"))
    assert [set(row["members"].split(",")) for row in table if row["cluster"] != "singleton"] == [ob.PAIR]
    assert sum(int(row["size"]) for row in table) == len(ob.ISOLATES)  # the reference is not clustered


def test_without_gubbins_the_recombinant_isolate_looks_further_away(runs):
    """Without recombination masking isolate_6's imported segment counts as SNPs: its distances to its clade mates
    grow by the planted recombinant substitutions; the FastTree tree still has the clades."""
    run = runs("outbreak_fasttree_no_gubbins")
    assert "gubbins" not in run.modules and "iqtree" not in run.modules
    newick = run.path("results/fasttree/core_genome.nwk").read_text()
    assert has_split(newick, set(ob.CLADE_A)) and has_split(newick, set(ob.PAIR))
    found = distance_matrix(run.path("results/snp_dists/snp_distances.tsv"))
    planted = ob.distances()
    for mate in ob.CLADE_B - {ob.RECOMBINANT}:
        pair = frozenset((mate, ob.RECOMBINANT))
        assert found[pair] == planted[pair] + ob.RECOMBINANT_SNPS
    assert found[frozenset(ob.PAIR)] == ob.PAIR_DISTANCE
