"""The core short-read workflows (RNA-seq DE, germline and viral variants, ChIP-seq, ATAC-seq, structural variants)
on library/testdata/synthetic.py's shared genome and reads: its planted DE gene, SNV, peak and deletion are checked by
several modules of each workflow.
"""

from __future__ import annotations

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
    # SnpEff annotation on: its database is the synthetic genome's, from a local repository (write_snpeff_repository)
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


def build(name: str, tmp: pytest.TempPathFactory) -> Run:
    recipe, entities, kind = WORKFLOWS[name]
    root = tmp.mktemp(name)
    modules = render(root, recipe, entities)
    skip_unless_installed(name, modules)
    data = tmp.mktemp(f"{name}_data")
    reference, rows = _data(kind, data)
    extra = {}
    if "snpeff_download" in modules:
        repository = syn.write_snpeff_repository(data / "snpeff", reference["fasta"])
        extra = {"snpeff": {"database": syn.SNPEFF_DATABASE},
                 "snpeff_download": {"repository": repository.resolve().as_uri()}}
    config = configure(root, reference, rows, extra)
    return execute(root, modules, config)
