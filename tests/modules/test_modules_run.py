"""End-to-end checks of the core workflows (tests/modules/workflows/core.py): the generated RNA-seq DE workflow
recovers the planted DE gene, and the germline workflow calls the planted SNV in every sample. Each module's own
output check lives beside the module (library/modules/<id>/test/check.py; run by test_module_checks.py).

A workflow's tests skip only when a binary its modules need is missing, naming it (CI installs them with apt).
"""

from __future__ import annotations

from tests.modules.checks import module_check
from tests.modules.readers import table


def test_rnaseq_de_workflow_recovers_the_planted_de_gene(runs):
    run = runs("rnaseq_star_deseq2")
    module_check("deseq2").check(run)
    others = table(run.path("results/deseq2/de_results.tsv"))[1:]
    assert all(float(r["padj"]) > 0.01 for r in others if r["padj"] != "NA")  # nothing else is called DE


def test_germline_workflow_calls_the_planted_snv_in_every_sample(runs):
    module_check("bcftools_call").check(runs("germline_bcftools"))


def test_germline_sample_identity_tables_reach_multiqc(runs):
    """The sex and relatedness checks run on the real (two-sample, one-SNV) cohort VCF of the bcftools workflow: too
    little evidence for a call, so both say so instead of failing, and MultiQC parses both tables."""
    run = runs("germline_bcftools")
    sexes = table(run.path("results/plink_sex_check/sex_check_mqc.tsv"))
    assert [(r["Sample"], r["Inferred sex"]) for r in sexes] == [("sample_1", "uncertain"), ("sample_2", "uncertain")]
    pairs = table(run.path("results/plink2_relatedness/relatedness_mqc.tsv"))
    assert [(r["Pair"], r["Note"]) for r in pairs] == [("sample_1 - sample_2", "few variants")]
    data = run.path("results/multiqc/multiqc_report_data")
    for section in ("plink_sex_check", "plink2_relatedness"):
        parsed = table(data / f"multiqc_{section}-plot.txt")
        assert parsed, section
