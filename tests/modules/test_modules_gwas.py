"""End-to-end checks of the GWAS workflow (tests/modules/workflows/gwas.py) on the planted case/control cohort:
without the PCs the planted stratification inflates the test; the VCF route finds the same locus. Each module's
own output check (PLINK import, variant and sample QC, LD pruning, KING, PCA, --glm, the report) lives beside the
module: library/modules/<id>/test/check.py.

REGENIE (the association step's mixed-model alternative) is not packaged in Debian: generated and linted, not
executed here.
"""

from __future__ import annotations

from biopipelines.library.testdata import synthetic_gwas as gw
from tests.modules.outputs_gwas import rows


def test_vcf_route_finds_the_same_locus_as_the_plink_route(runs):
    plink = rows(runs("gwas_plink").path("results/gwas_report/hits.tsv"))
    vcf = rows(runs("gwas_vcf").path("results/gwas_report/hits.tsv"))
    lead = {f"{h['chrom']}:{h['pos']}" for h in vcf if h["class"] == "genome_wide"}
    assert lead == {gw.CAUSAL} == {f"{h['chrom']}:{h['pos']}" for h in plink if h["class"] == "genome_wide"}


def test_the_sample_qc_table_covers_every_sample(runs):
    run = runs("gwas_plink")
    table = rows(run.path("results/plink_sample_qc/sample_qc.tsv"))
    assert len(table) == len(gw.cohort()["samples"])
    assert {r["status"] for r in table} == {"kept", "removed"}
