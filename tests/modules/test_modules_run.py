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
