"""Long-read isoform discovery and quantification on library/testdata/synthetic_longread_isoforms.py's contig: two
ONT-cDNA-like samples, a known isoform switched for a novel exon-skipping one, and an unannotated gene.

Run with the Debian tools: minimap2 (spliced, --junc-bed from the GTF), samtools, StringTie2 (-L assembly, --merge,
-e quantification), NanoStat, MultiQC and the Python steps (GTF to BED12, isoform matrix).
Not executed here (generated and linted only): gffcompare (the default classification step; not in Debian 12), and
the IsoQuant and Bambu alternatives (not in Debian 12).
"""

from __future__ import annotations

import pytest

from biopipelines.core.schemas import Entities
from biopipelines.library.testdata import synthetic_longread_isoforms as iso
from tests.modules.harness import Run, configure, execute, rendered_or_skip

NOT_IN_DEBIAN = ["gffcompare"]

# name -> (recipe, entities, extra config)
WORKFLOWS: dict[str, tuple[str, Entities, dict]] = {
    "longread_isoforms_stringtie": ("longread_isoforms", Entities(tools_excluded=NOT_IN_DEBIAN), {}),
}


def build(name: str, tmp: pytest.TempPathFactory) -> Run:
    recipe, entities, extra = WORKFLOWS[name]
    root, modules, folder = rendered_or_skip(name, recipe, entities, tmp)
    config = configure(root, iso.write_reference(folder / "reference"), iso.write_samples(folder / "reads"), extra)
    return execute(root, modules, config)
