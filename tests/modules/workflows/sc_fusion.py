"""Single-cell (10x) and RNA-fusion workflows on library/testdata/synthetic_sc_fusion.py's data (planted cells, empty
droplets and a planted fusion breakpoint), plus kallisto quant in the bulk RNA-seq DE recipe on
library/testdata/synthetic.py's reads. Salmon alevin is not run (Debian's salmon 1.10.1 crashes in alevin mode); the
fusion callers (Arriba, STAR-Fusion) are not packaged in Debian, so the fusion run stops at the alignment.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from biopipelines.core.schemas import Entities
from biopipelines.library.testdata import synthetic as syn
from biopipelines.library.testdata import synthetic_sc_fusion as sc
from tests.modules.harness import Run, configure, execute, render, skip_unless_installed

NO_QC = ["step:qc"]  # FastQC and MultiQC are checked on the core workflows; leaving them out keeps runs short
# name -> (recipe, entities, data kind, targets: None runs the whole workflow)
WORKFLOWS: dict[str, tuple[str, Entities, str, list[str] | None]] = {
    "sc_kallisto": ("scrnaseq_10x", Entities(tools_excluded=[*NO_QC, "scanpy"]), "sc", None),
    "sc_starsolo": ("scrnaseq_10x", Entities(tools_requested=["starsolo"], tools_excluded=[*NO_QC, "scanpy"]), "sc",
                    ["results/star_solo/pbmc_1/Solo.out/Gene/raw"]),
    "fusion_star": ("rna_fusion", Entities(tools_excluded=[*NO_QC, "step:trimming"]), "fusion",
                    ["results/star_chimeric_align/patient_1/Chimeric.out.junction",
                     "results/star_chimeric_align/patient_1/Aligned.sortedByCoord.out.bam.bai"]),
    "rnaseq_kallisto_deseq2": ("rnaseq_de", Entities(tools_requested=["kallisto"], tools_excluded=[
        *NO_QC, "step:trimming"]), "rna", None),
}
# modules of a targeted run that actually execute (the others are only rendered)
RUNS_ONLY = {"sc_starsolo": ["star_index", "star_solo"], "fusion_star": ["star_index", "star_chimeric_align"]}
TUNED = {"emptydrops": {"niters": 2000}}  # p-values down to 1/2001 are plenty for 20 cells


def _data(kind: str, folder: Path) -> tuple[dict[str, Path], list[dict]]:
    if kind == "sc":
        return sc.write_sc_reference(folder / "reference"), sc.sc_reads(folder / "reads")
    reference = syn.write_reference(folder / "reference")
    if kind == "fusion":
        for key in ("arriba_blacklist", "arriba_known_fusions", "ctat_genome_lib"):  # used by the callers only
            reference[key] = folder / "reference" / f"{key}.tsv"
            reference[key].write_text("")
        return reference, sc.fusion_reads(folder / "reads")
    return reference, syn.rnaseq_reads(folder / "reads")


def build(name: str, tmp: pytest.TempPathFactory) -> Run:
    recipe, entities, kind, targets = WORKFLOWS[name]
    root = tmp.mktemp(name)
    modules = render(root, recipe, entities)
    skip_unless_installed(name, RUNS_ONLY.get(name, modules))
    reference, rows = _data(kind, tmp.mktemp(f"{name}_data"))
    config = configure(root, reference, rows, TUNED)
    return execute(root, RUNS_ONLY.get(name, modules), config, targets)
