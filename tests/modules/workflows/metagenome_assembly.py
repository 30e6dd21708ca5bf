"""The metagenome assembly and binning recipe on library/testdata/synthetic_metagenome_assembly.py's toy community
(three genomes of different GC at planted depths in two samples, plus a short element), and an ATAC-seq workflow
on library/testdata/synthetic.py's open-chromatin reads where bedtools genomecov and Picard CollectInsertSizeMetrics
are the alternatives.

The binners (MetaBAT2, MaxBin2, CONCOCT), the depth tool and CheckM2/GTDB-Tk are not packaged in Debian, so the
workflows run up to the per-sample BAMs against the contigs: Snakemake is given the outputs of the
Debian-packaged steps as targets.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from biopipelines.core.schemas import Entities
from biopipelines.library import load_library
from biopipelines.library.testdata import synthetic_metagenome_assembly as meta
from tests.modules.harness import Run, configure, execute, render, skip_unless_installed

# name -> (recipe, entities, data, config for the toy data)
WORKFLOWS: dict[str, tuple[str, Entities, str, dict]] = {
    "metagenome_megahit": ("metagenome_assembly", Entities(tools_requested=["samtools flagstat"]), "community", {}),
    # SPAdes cannot guess the quality offset of all-'I' simulated qualities; error correction skipped for speed
    "metagenome_metaspades": ("metagenome_assembly",
                              Entities(tools_requested=["metaspades"], tools_excluded=[
                                  "step:trimming", "step:read_qc", "step:alignment_qc", "step:report"]),
                              "community", {"metaspades": {"extra": "--phred-offset 33 --only-assembler"}}),
    # general-purpose alternatives: ATAC-seq with insert sizes and a bedGraph track
    "atacseq_bedgraph": ("atacseq", Entities(tools_requested=["bedtools genomecov", "collectinsertsizemetrics",
                                                              "samtools markdup"],
                                             tools_excluded=["step:trimming", "step:qc"]),
                         "atac", {"macs3_atac": {"gsize": "50000"}}),
}


def debian_targets(root: Path, modules: list[str], samples: list[str]) -> tuple[list[str], list[str]]:
    """The Debian-packaged modules of the plan and their outputs (per-sample ones for every sample)."""
    library = load_library()
    runnable = [m for m in modules if library.module(m).debian]
    targets = []
    for module in runnable:
        spec = library.module(module)
        if spec.scope == "reference":
            continue
        for port in spec.outputs_for("paired"):
            paths = [port.path.format(sample=s) for s in samples] if spec.scope == "per_sample" else [port.path]
            targets += [p for p in paths if p not in targets]
    return runnable, targets


def build(name: str, tmp: pytest.TempPathFactory) -> Run:
    recipe, entities, kind, tuning = WORKFLOWS[name]
    root = tmp.mktemp(name)
    modules = render(root, recipe, entities)
    data = tmp.mktemp(f"{name}_data")
    if kind == "community":
        rows = meta.community_reads(data / "reads")
        # the CheckM2 database is a config path; the CheckM2 step is not run here
        reference = {"checkm2_db": data / "checkm2_placeholder.dmnd"}
    else:
        rows = meta.syn.atac_reads(data / "reads")
        reference = meta.syn.write_reference(data / "reference")
    runnable, targets = debian_targets(root, modules, [r["sample"] for r in rows])
    skip_unless_installed(name, runnable)
    config = configure(root, reference, rows, tuning)
    return execute(root, runnable, config, targets, timeout=900)
