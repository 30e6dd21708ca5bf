"""Outbreak core-SNP phylogeny of library/testdata/synthetic_outbreak.py's six isolates against the 50 kb toy
reference: fastp -> BWA-MEM -> sort -> samtools markdup -> bcftools (haploid) -> masked pseudogenomes -> whole-genome
alignment -> Gubbins -> snp-sites -> IQ-TREE -> SNP distances and clusters; and the same chain without Gubbins and
with FastTree, whose distances still carry isolate_6's recombinant SNPs.

FastQC, samtools stats, mosdepth and MultiQC are left out of the runs to keep them short (their modules are
executed by the core workflows); every rule of the recipe is linted and dry-run by the unit tests.
"""

from __future__ import annotations

import pytest

from biopipelines.core.schemas import Entities
from biopipelines.library.testdata import synthetic as syn
from biopipelines.library.testdata import synthetic_outbreak as ob
from tests.modules.harness import Run, configure, execute, render, skip_unless_installed

QC = ["step:read_qc", "step:alignment_qc", "step:coverage", "step:report"]
# 1000 ultrafast bootstrap replicates (the real default) take seconds on 7 sequences and ~60 SNP columns
TINY_OUTBREAK = {"iqtree": {"bootstrap": 1000}, "snp_dists": {"threshold": ob.CLUSTER_THRESHOLD}}

# name -> (recipe, entities)
WORKFLOWS: dict[str, tuple[str, Entities]] = {
    "outbreak_gubbins_iqtree": ("outbreak_phylogeny", Entities(tools_excluded=QC)),
    "outbreak_fasttree_no_gubbins": ("outbreak_phylogeny", Entities(
        tools_requested=["fasttree"], tools_excluded=[*QC, "step:recombination"])),
}


def build(name: str, tmp: pytest.TempPathFactory) -> Run:
    recipe, entities = WORKFLOWS[name]
    root = tmp.mktemp(name)
    modules = render(root, recipe, entities)
    skip_unless_installed(name, modules)
    folder = tmp.mktemp(f"{name}_data")
    reference = {"fasta": syn.write_fasta(folder / "reference" / "genome.fa", syn.genome())}
    config = configure(root, reference, ob.outbreak_reads(folder / "reads"), TINY_OUTBREAK)
    return execute(root, modules, config, timeout=900)
