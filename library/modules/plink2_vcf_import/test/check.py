"""The cohort written as a VCF comes back as a PLINK fileset with every sample, each variant renamed, and the sex of
each sample taken from the covariate table (a VCF carries none).

Run on the `gwas_vcf` workflow (tests/modules/workflows/gwas.py)."""

from __future__ import annotations

from biopipelines.library.testdata import synthetic_gwas as gw
from tests.modules.harness import Run
from tests.modules.outputs_gwas import bim_ids

WORKFLOW = "gwas_vcf"


def check(run: Run) -> None:
    data = gw.cohort()
    ids = bim_ids(run.path("results/plink2_vcf_import/cohort.bim"))
    assert len(ids) == len(data["variants"]) and ids[-1].startswith("X:")
    fam = {line.split()[1]: line.split()[4] for line in
           run.path("results/plink2_vcf_import/cohort.fam").read_text().splitlines()}
    assert fam == {s["id"]: str(s["sex"]) for s in data["samples"]}
