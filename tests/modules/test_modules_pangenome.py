"""End-to-end check of the pan-genome workflow (tests/modules/workflows/pangenome.py) on four toy genome
assemblies: the planted gene content and the planted tree come out of the whole chain, from the sample sheet's
assembly column to the tree. Each module's own output check (Roary, snp-sites, IQ-TREE, FastTree) lives beside
the module: library/modules/<id>/test/check.py.

Not executed here: Panaroo (no Debian package; its rule is generated and linted by the unit tests) and Bakta
(needs its database). Both are alternatives, not defaults.
"""

from __future__ import annotations

from biopipelines.library.testdata import synthetic_pangenome as pan
from biopipelines.library.testdata.newick import has_split
from tests.modules.outputs_pangenome import presence_absence


def test_gene_content_and_tree_come_from_the_assemblies_in_the_sample_sheet(runs):
    """Prokka annotates each listed assembly under its own locus tag, Roary's matrix has one column per isolate,
    and the accessory gene that only isolate_3 carries is in that isolate alone; the tree splits the planted pairs."""
    run = runs("pangenome_roary_iqtree")
    for name in pan.GENOMES:
        gff = run.path(f"results/prokka/{name}/{name}.gff").read_text()
        assert gff.count("\tCDS\t") == pan.CORE_GENES + sum(name in g for g in pan.ACCESSORY.values())
    carriers = presence_absence(run.path("results/roary/gene_presence_absence.csv"), pan.GENOMES)
    assert carriers[f"{pan.ACCESSORY_PRODUCT} 2"] == {"isolate_3"}
    assert has_split(run.path("results/iqtree/core_genome.treefile").read_text(), {"isolate_3", "isolate_4"})


def test_fasttree_alternative_uses_the_whole_core_alignment(runs):
    """Asked for FastTree without the SNP step, the tree reads Roary's core alignment and still splits the pairs."""
    run = runs("pangenome_fasttree")
    assert "snp_sites" not in run.modules and "iqtree" not in run.modules
    assert has_split(run.path("results/fasttree/core_genome.nwk").read_text(), {"isolate_1", "isolate_2"})
