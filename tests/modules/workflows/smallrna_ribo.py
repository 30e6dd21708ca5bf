"""Small RNA-seq and Ribo-seq workflows on library/testdata/synthetic_smallrna_ribo.py's data: adapter-ligated
mature miRNAs (one planted 8x up in treated), and footprints with planted 3-nt periodicity and P-site offsets plus
rRNA fragments. miRTrace and ribotricer are not packaged in Debian: their optional steps are left out here (they are
linted and dry-run by tests/unit/test_library.py).
"""

from __future__ import annotations

import pytest

from biopipelines.core.schemas import Entities
from biopipelines.library.testdata import synthetic_smallrna_ribo as srr
from tests.modules.harness import Run, configure, execute, render, skip_unless_installed

# name -> (recipe, entities, synthetic data kind)
WORKFLOWS: dict[str, tuple[str, Entities, str]] = {
    "smallrna_bowtie_deseq2": ("small_rnaseq", Entities(organism="human", tools_excluded=["mirtrace"]), "smallrna"),
    "riboseq_star_deseq2": ("riboseq", Entities(strandedness="forward", tools_excluded=["step:orfs"]), "ribo"),
}
# workflow name -> the read counts each data maker planted (what the checks compare the tools' counts with)
TRUTH: dict[str, dict] = {}


def _data(kind: str, folder):
    if kind == "smallrna":
        reference = srr.smallrna_reference(folder / "reference")
        rows, truth = srr.smallrna_reads(folder / "reads")
    else:
        reference = srr.ribo_reference(folder / "reference")
        rows, truth = srr.ribo_reads(folder / "reads")
    return reference, rows, truth


def build(name: str, tmp: pytest.TempPathFactory) -> Run:
    recipe, entities, kind = WORKFLOWS[name]
    root = tmp.mktemp(name)
    modules = render(root, recipe, entities)
    skip_unless_installed(name, modules)
    reference, rows, truth = _data(kind, tmp.mktemp(f"{name}_data"))
    TRUTH[name] = truth
    config = configure(root, reference, rows)
    return execute(root, modules, config)
