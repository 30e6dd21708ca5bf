"""SnpEff annotates the planted SNV with the effect its codon change has.

Run on the `germline_bcftools` workflow (tests/modules/workflows/core.py), whose SnpEff database is built from the
synthetic genome with a coding sequence through the SNV (synthetic.snv_cds()); the expected effect is computed
from the planted codon (synthetic.snv_effect()), not written down."""

from __future__ import annotations

import gzip

from biopipelines.library.testdata import synthetic as syn
from tests.modules.harness import Run

WORKFLOW = "germline_bcftools"


def check(run: Run) -> None:
    contig, pos = syn.SNV
    gene, _, _ = syn.snv_cds()
    vcf = run.path("results/snpeff_annotate/cohort.ann.vcf.gz")
    assert run.path("results/snpeff_annotate/cohort.ann.vcf.gz.tbi").stat().st_size > 0
    with gzip.open(vcf, "rt") as handle:
        lines = handle.read().splitlines()
    assert any(line.startswith("##INFO=<ID=ANN,") for line in lines)
    record = next(line.split("\t") for line in lines
                  if not line.startswith("#") and line.split("\t")[:2] == [contig, str(pos)])
    assert (record[3], record[4]) == (syn.snv_ref(), syn.snv_alt())
    info = dict(field.split("=", 1) for field in record[7].split(";") if "=" in field)
    # ANN: Allele | Annotation | Impact | Gene_Name | Gene_ID | Feature_Type | Feature_ID | ...
    effects = [entry.split("|") for entry in info["ANN"].split(",")]
    on_gene = [e for e in effects if e[3] == gene.gene_id and e[6] == gene.transcript_id]
    assert on_gene and on_gene[0][0] == syn.snv_alt(), effects
    assert syn.snv_effect() in on_gene[0][1].split("&"), on_gene
    assert run.path("results/snpeff_annotate/cohort.snpeff.csv").read_text().count("SnpEff_version") == 1
    # MultiQC's snpeff module parsed the -csvStats file: one missense (MODERATE) effect in the synthetic genome
    parsed = run.path("results/multiqc/multiqc_report_data/multiqc_snpeff.txt").read_text().splitlines()
    row = dict(zip(parsed[0].split("\t"), parsed[1].split("\t")))
    assert row["Genome"] == run.config["snpeff"]["database"]
    assert float(row["Number_of_variants_before_filter"]) >= 1
