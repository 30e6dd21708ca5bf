"""snp-sites keeps exactly the planted variable columns of the core alignment (12 shared by isolate_1 and
isolate_2, 4 private to each genome) and counts every other column as constant.

Run on the `pangenome_roary_iqtree` workflow (tests/modules/workflows/pangenome.py)."""

from __future__ import annotations

from biopipelines.library.testdata import synthetic_pangenome as pan
from tests.modules.harness import Run
from tests.modules.readers import fasta

WORKFLOW = "pangenome_roary_iqtree"


def check(run: Run) -> None:
    snps = fasta(run.path("results/snp_sites/core_snps.fasta"))
    assert set(snps) == set(pan.GENOMES)
    assert {len(seq) for seq in snps.values()} == {pan.variable_sites()}
    columns = list(zip(*(snps[g] for g in pan.GENOMES)))
    assert all(len(set(column)) == 2 for column in columns)  # biallelic: one substitution per site
    # the shared substitutions: columns where isolate_1 and isolate_2 agree against isolate_3 and isolate_4
    shared = [c for c in columns if c[0] == c[1] and c[2] == c[3] and c[0] != c[2]]
    assert len(shared) == pan.SHARED_SNPS
    constant = [int(n) for n in run.path("results/snp_sites/constant_sites.txt").read_text().strip().split(",")]
    core_length = sum(len(cds) for cds in pan.ancestral_genes()[0])
    assert len(constant) == 4 and sum(constant) == core_length - pan.variable_sites()
