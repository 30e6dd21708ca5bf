"""Copy-number variant calling (cnv_calling) on library/testdata/synthetic_cnv.py's exome: four samples on a
synthetic capture kit, one with a planted heterozygous deletion and one with a planted duplication.

Every CNVkit module of the recipe runs (bins, coverage, pooled reference, fix and CBS segmentation, call and VCF
export, gene-level table, scatter and diagram). Read QC, trimming, alignment statistics, depth QC and MultiQC are
left out, and samtools markdup stands in for Picard (no JVM start per sample), to keep the run short; the core
workflows exercise those. The recipe's ExomeDepth alternative is not run (not in Debian 12).
"""

from __future__ import annotations

import pytest

from biopipelines.core.schemas import Entities
from biopipelines.library.testdata import synthetic_cnv as cnv
from tests.modules.harness import Run, configure, execute, rendered_or_skip

QUICK = ["step:read_qc", "step:trimming", "step:alignment_qc", "step:coverage", "step:report"]

# name -> (recipe, entities, extra config)
WORKFLOWS: dict[str, tuple[str, Entities, dict]] = {
    "cnv_cnvkit": ("cnv_calling", Entities(tools_requested=["samtools markdup"], tools_excluded=QUICK), {}),
}


def build(name: str, tmp: pytest.TempPathFactory) -> Run:
    recipe, entities, extra = WORKFLOWS[name]
    root, modules, folder = rendered_or_skip(name, recipe, entities, tmp)
    reference = cnv.write_reference(folder / "reference")
    rows = cnv.exome_reads(folder / "reads")
    targets = cnv.write_targets(folder / "reference" / "targets.bed")
    config = configure(root, reference, rows, {"targets": {"bed": str(targets)}, **extra})
    return execute(root, modules, config)
