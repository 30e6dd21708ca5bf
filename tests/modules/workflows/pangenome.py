"""Pan-genome and core-genome phylogeny of library/testdata/synthetic_pangenome.py's four toy genome assemblies:
Prokka (with the planted-protein database) -> Roary (-e --mafft) -> snp-sites -> IQ-TREE, and the FastTree
alternative on the same Roary core alignment.

Panaroo has no Debian package: its rule is generated and linted (tests/unit) but not executed here.
"""

from __future__ import annotations

import pytest

from biopipelines.core.schemas import Entities
from biopipelines.library.testdata import synthetic_pangenome as pan
from tests.modules.harness import Run, configure, execute, render, skip_unless_installed

# IQ-TREE's 1000 bootstrap replicates are the real default; on 4 genomes and ~30 SNPs they take seconds
TINY_PANGENOME = {"prokka": {"extra": "--centre X --compliant --norrna --notrna"}, "iqtree": {"bootstrap": 1000}}

# name -> (recipe, entities)
WORKFLOWS: dict[str, tuple[str, Entities]] = {
    "pangenome_roary_iqtree": ("pangenome", Entities()),
    "pangenome_fasttree": ("pangenome", Entities(tools_requested=["fasttree"], tools_excluded=["step:snp_alignment"])),
}


def build(name: str, tmp: pytest.TempPathFactory) -> Run:
    recipe, entities = WORKFLOWS[name]
    root = tmp.mktemp(name)
    modules = render(root, recipe, entities)
    skip_unless_installed(name, modules, also=("makeblastdb",))
    folder = tmp.mktemp(f"{name}_data")
    rows = pan.write_assemblies(folder / "assemblies")
    dbdir = pan.write_prokka_db(folder / "prokka_db")
    extra = {**TINY_PANGENOME, "prokka": {"extra": f"{TINY_PANGENOME['prokka']['extra']} --dbdir {dbdir}"}}
    config = configure(root, {}, rows, extra)
    return execute(root, modules, config)
