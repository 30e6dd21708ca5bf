"""The Hi-C workflow on library/testdata/synthetic_hic_somatic.py's library (its planted contact is checked by the
pairtools and cooler modules), and the somatic_variants recipe run up to duplicate marking for a simulated tumour
and its matched normal (no somatic caller is packaged in Debian; the end-to-end tests check the BAMs).
"""

from __future__ import annotations

import pytest

from biopipelines.core.schemas import Entities
from biopipelines.library.testdata import synthetic as syn
from biopipelines.library.testdata import synthetic_hic_somatic as hs
from biopipelines.library.testdata.datasets import HIC_TINY
from tests.modules.harness import Run, configure, execute, render, skip_unless_installed

UPSTREAM = ["reference_fasta", "bwa_index", "bwa_mem", "samtools_sort", "samtools_markdup"]
PAIR = ("patient1_tumour", "patient1_normal")
# name -> (recipe, entities)
WORKFLOWS: dict[str, tuple[str, Entities]] = {
    "hic": ("hic", Entities(tools_excluded=["step:tads"])),
    "somatic_upstream": ("somatic_variants", Entities(tools_requested=["samtools markdup"],
                                                      tools_excluded=["step:trimming"])),
}


def _hic(root, tmp: pytest.TempPathFactory) -> Run:
    modules = render(root, *WORKFLOWS["hic"])
    skip_unless_installed("the Hi-C workflow", modules)
    data = tmp.mktemp("hic_data")
    reference = syn.write_reference(data / "reference")
    config = configure(root, reference, hs.hic_reads(data / "reads"), HIC_TINY)
    return execute(root, modules, config)


def _somatic(root, tmp: pytest.TempPathFactory) -> Run:
    """The somatic recipe run up to duplicate marking (the callers are not in Debian)."""
    modules = render(root, *WORKFLOWS["somatic_upstream"])
    skip_unless_installed("the somatic upstream steps", [m for m in modules if m in UPSTREAM])
    data = tmp.mktemp("somatic_data")
    reference = syn.write_reference(data / "reference")
    config = configure(root, reference, hs.tumour_normal_reads(data / "reads"))
    targets = [f"results/samtools_markdup/{s}.bam" for s in PAIR]
    return execute(root, modules, config, targets, timeout=900)


def build(name: str, tmp: pytest.TempPathFactory) -> Run:
    root = tmp.mktemp("hic_pairtools_cooler" if name == "hic" else name)
    return _hic(root, tmp) if name == "hic" else _somatic(root, tmp)
