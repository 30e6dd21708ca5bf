"""The core short-read workflows (RNA-seq DE, germline and viral variants, ChIP-seq, ATAC-seq, structural variants)
on library/testdata/synthetic.py's shared genome and reads: its planted DE gene, SNV, peak and deletion are checked by
several modules of each workflow.
"""

from __future__ import annotations

import re
import subprocess
import zipfile
from pathlib import Path

import pytest

from biopipelines.core.schemas import Entities
from biopipelines.library.testdata import synthetic as syn
from tests.modules.harness import Run, configure, execute, render, skip_unless_installed

# name -> (recipe, entities, synthetic data kind)
WORKFLOWS: dict[str, tuple[str, Entities, str]] = {
    "rnaseq_star_deseq2": ("rnaseq_de", Entities(), "rna"),
    "rnaseq_hisat2_edger": ("rnaseq_de", Entities(tools_requested=["hisat2", "edger"]), "rna"),
    "rnaseq_salmon_deseq2": ("rnaseq_de", Entities(tools_requested=["salmon"], tools_excluded=["step:trimming"]),
                             "rna"),
    # SnpEff annotation on: its database is the synthetic genome's, served from a local repository (snpeff_repository)
    "germline_bcftools": ("germline_variants", Entities(tools_requested=["bcftools", "samtools markdup", "cutadapt",
                                                                         "snpeff"]), "dna"),
    "germline_freebayes": ("germline_variants", Entities(tools_requested=["freebayes", "trimmomatic"]), "dna"),
    "chipseq_bowtie2_macs": ("chipseq_peaks", Entities(tools_requested=["sambamba"]), "chip"),
    # two replicates of one antibody and a single replicate of another (consensus peaks)
    "chipseq_replicates": ("chipseq_peaks", Entities(tools_excluded=["step:trimming"]), "chip_replicates"),
    "atacseq_default": ("atacseq", Entities(tools_excluded=["step:trimming"]), "atac"),
    "sv_delly": ("structural_variants", Entities(tools_requested=["samtools markdup"],
                                                 tools_excluded=["step:trimming"]), "sv"),
    "viral_bcftools": ("viral_consensus", Entities(tools_excluded=["step:trimming"]), "dna"),
}


def _data(kind: str, folder):
    reference = syn.write_reference(folder / "reference")
    reads = {"rna": syn.rnaseq_reads, "dna": syn.dna_reads, "chip": syn.chip_reads,
             "chip_replicates": syn.chip_replicate_reads, "atac": syn.atac_reads,
             "sv": lambda folder: syn.dna_reads(folder, deletion=True)}
    rows = reads[kind](folder / "reads")
    return reference, rows


SNPEFF_DATABASE = "synthetic"


def snpeff_repository(folder: Path, fasta: Path) -> str:
    """A SnpEff database of the synthetic genome with a coding sequence through the planted SNV (snpEff build
    -gtf22), zipped as SnpEff's repository lays it out (v<major>_<minor>/snpEff_v<major>_<minor>_<db>.zip), so the
    workflow's download rule fetches it from this folder (file://) instead of the internet; returns the URL."""
    build = folder / "build" / SNPEFF_DATABASE
    build.mkdir(parents=True)
    (build / "sequences.fa").write_text(fasta.read_text())
    syn.write_coding_gtf(build / "genes.gtf")
    subprocess.run(["snpEff", "build", "-gtf22", "-noCheckCds", "-noCheckProtein", "-noLog",
                    "-dataDir", str(build.parent.resolve()),
                    "-configOption", f"{SNPEFF_DATABASE}.genome={SNPEFF_DATABASE}", SNPEFF_DATABASE],
                   check=True, capture_output=True, timeout=300)
    version = subprocess.run(["snpEff", "-version"], check=True, capture_output=True, text=True).stdout
    tag = "v{}_{}".format(*re.search(r"(\d+)\.(\d+)", version).groups())
    archive = folder / "repository" / tag / f"snpEff_{tag}_{SNPEFF_DATABASE}.zip"
    archive.parent.mkdir(parents=True)
    with zipfile.ZipFile(archive, "w") as handle:
        for name in ("snpEffectPredictor.bin", "sequence.bin"):
            handle.write(build / name, f"data/{SNPEFF_DATABASE}/{name}")
    return (folder / "repository").resolve().as_uri()


def build(name: str, tmp: pytest.TempPathFactory) -> Run:
    recipe, entities, kind = WORKFLOWS[name]
    root = tmp.mktemp(name)
    modules = render(root, recipe, entities)
    skip_unless_installed(name, modules)
    data = tmp.mktemp(f"{name}_data")
    reference, rows = _data(kind, data)
    extra = {}
    if "snpeff_download" in modules:
        extra = {"snpeff": {"database": SNPEFF_DATABASE},
                 "snpeff_download": {"repository": snpeff_repository(data / "snpeff", reference["fasta"])}}
    config = configure(root, reference, rows, extra)
    return execute(root, modules, config)
