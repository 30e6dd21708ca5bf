"""Alternative-splicing and bisulfite-methylation workflows on library/testdata/synthetic_splice_methyl.py's data.

- splicing_dexseq: the alternative_splicing recipe's default path on reads with a planted cassette exon;
- bisulfite_targeted: Bismark, bwa-meth and MethylDackel are not packaged in Debian, so only the Debian-packaged
  rules run, as targets: Trim Galore on reads that run into the Illumina adapter, and DSS on planted Bismark-format
  coverage files put where the methylation-calling step writes them (`--allowed-rules` keeps Snakemake from trying
  to make them).

DEXSeq's Python scripts need HTSeq: Debian installs it for /usr/bin/python3, so /usr/bin comes first on PATH
(a virtual environment's python3 would otherwise be found first and lack HTSeq).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from biopipelines.core.schemas import Entities
from biopipelines.library.testdata import synthetic_splice_methyl as sm
from tests.modules.harness import Run, configure, execute, render, skip_unless_installed

NO_QC = ["step:qc"]  # FastQC and MultiQC are checked on the core workflows
COVERAGE = "results/methyldackel_extract/{sample}.cov.gz"  # where the default methylation caller writes
# name -> (recipe, entities, modules that run, targets (None: the whole workflow), rules allowed to run)
WORKFLOWS: dict[str, tuple[str, Entities, list[str] | None, list[str] | None, list[str] | None]] = {
    "splicing_dexseq": ("alternative_splicing", Entities(tools_excluded=[*NO_QC, "step:trimming"]), None, None,
                        None),
    "bisulfite_targeted": ("bisulfite_methylation", Entities(tools_excluded=NO_QC), ["trim_galore", "dss_dmr"],
                           ["results/dss_dmr/dmr.tsv", *[f"results/trim_galore/{s}_R{m}.fastq.gz"
                                                         for s in ("control_1", "treated_1") for m in (1, 2)]],
                           ["trim_galore", "dss_dmr"]),
}


def _data(name: str, folder: Path, run_root: Path) -> tuple[dict[str, Path], list[dict]]:
    if name == "splicing_dexseq":
        return sm.write_splice_reference(folder / "reference"), sm.splice_reads(folder / "reads")
    reference = {"fasta": sm.syn.write_fasta(folder / "reference" / "genome.fa", sm.syn.genome())}
    rows = sm.adapter_reads(folder / "reads")
    for row in rows:  # the planted methylation calls, in place of the (non-Debian) caller's output
        sm.write_coverage(run_root / COVERAGE.format(sample=row["sample"]), row["condition"], row["sample"])
    return reference, rows


def build(name: str, tmp: pytest.TempPathFactory) -> Run:
    recipe, entities, runs_only, targets, allowed = WORKFLOWS[name]
    root = tmp.mktemp(name)
    modules = render(root, recipe, entities)
    skip_unless_installed(name, runs_only or modules)
    reference, rows = _data(name, tmp.mktemp(f"{name}_data"), root)
    config = configure(root, reference, rows)
    return execute(root, runs_only or modules, config, targets, allowed, system_tools_first=True)
