"""IQ-TREE recovers the planted split {isolate_1, isolate_2} | {isolate_3, isolate_4} with full support, from the
SNP alignment with the constant sites added back (-fconst): branch lengths are per core-genome site.

Run on the `pangenome_roary_iqtree` workflow (tests/modules/workflows/pangenome.py)."""

from __future__ import annotations

import re

from biopipelines.library.testdata import synthetic_pangenome as pan
from tests.modules.harness import Run
from tests.modules.outputs_pangenome import assert_planted_split

WORKFLOW = "pangenome_roary_iqtree"


def check(run: Run) -> None:
    newick = run.path("results/iqtree/core_genome.treefile").read_text()
    assert_planted_split(newick)
    supports = re.findall(r"\)([\d.]+)/([\d.]+)", newick)  # SH-aLRT/UFBoot of the internal branch
    assert supports and all(float(alrt) >= 80 and float(ufboot) >= 95 for alrt, ufboot in supports), newick
    report = run.path("results/iqtree/core_genome.iqtree").read_text()
    assert "Best-fit model according to BIC" in report  # ModelFinder ran
    core_length = sum(len(cds) for cds in pan.ancestral_genes()[0])
    assert re.search(rf"Input data: 4 sequences with {core_length} nucleotide sites", report), report[:2000]
    tree_length = float(re.search(r"Total tree length \(sum of branch lengths\): ([\d.]+)", report).group(1))
    expected = pan.variable_sites() / core_length  # one substitution per variable site, per core-genome site
    assert 0.7 * expected < tree_length < 1.5 * expected, (tree_length, expected)
