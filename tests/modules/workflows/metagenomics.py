"""Shotgun taxonomic profiling and amplicon ASV workflows on library/testdata/synthetic_metagenomics.py's data: host
plus two planted species in planted proportions (with a Kraken2 database built from toy genomes), and four planted
amplicon variants plus a planted chimera (with a SINTAX database of their planted taxonomy).

Bracken, Krona and MetaPhlAn are not packaged in Debian 12 (or need a database download) and are left out.
"""

from __future__ import annotations

import pytest

from biopipelines.core.schemas import Entities
from biopipelines.library.testdata import synthetic_metagenomics as syn
from tests.modules.harness import Run, configure, execute, render, skip_unless_installed

# name -> (recipe, entities, synthetic data kind)
WORKFLOWS: dict[str, tuple[str, Entities, str]] = {
    "profiling_kraken2": ("metagenomic_profiling", Entities(tools_excluded=["bracken", "krona", "step:trimming"]),
                          "shotgun"),
    "amplicon_vsearch": ("amplicon_16s", Entities(), "amplicon"),
    "amplicon_dada2": ("amplicon_16s", Entities(tools_requested=["dada2"], tools_excluded=["fastqc"]), "amplicon"),
}


def _data(kind: str, folder):
    if kind == "shotgun":
        return syn.write_profiling_reference(folder / "reference"), syn.profiling_reads(folder / "reads")
    return syn.write_sintax_db(folder / "reference"), syn.amplicon_reads(folder / "reads")


def build(name: str, tmp: pytest.TempPathFactory) -> Run:
    recipe, entities, kind = WORKFLOWS[name]
    root = tmp.mktemp(name)
    modules = render(root, recipe, entities)
    skip_unless_installed(name, modules, also=("kraken2-build",) if kind == "shotgun" else ())  # builds the DB
    reference, rows = _data(kind, tmp.mktemp(f"{name}_data"))
    config = configure(root, reference, rows)
    return execute(root, modules, config)
