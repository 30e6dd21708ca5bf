"""The germline workflow's sample identity checks (sex check, relatedness) on library/testdata/
synthetic_sample_identity.py's eight-sample cohort VCF, run with Debian's plink1.9 (through tests/modules/bin/plink),
plink2 and Python 3.

The workflow is rendered as `biopipelines generate` writes it (bcftools calling, so no GATK), the synthetic VCF is
put where the calling step writes the cohort VCF, and only the two checks run (--allowed-rules): calling 2,400 SNVs
with planted relatives and sexes from reads would take minutes, the checks take seconds.
"""

from __future__ import annotations

import csv
import shutil

import pytest

from biopipelines.core.schemas import Entities
from biopipelines.library.testdata import synthetic_sample_identity as si
from tests.modules.harness import Run, execute, render, skip_unless_installed

CHECKS = ["plink_sex_check", "plink2_relatedness"]
# name -> (recipe, entities, the calling step's cohort VCF)
WORKFLOWS: dict[str, tuple[str, Entities, str]] = {
    "germline_sample_identity": ("germline_variants", Entities(organism="human", tools_requested=["bcftools"]),
                                 "results/bcftools_call/cohort.vcf.gz"),
}
TARGETS = ["results/plink_sex_check/sex_check_mqc.tsv", "results/plink2_relatedness/relatedness_mqc.tsv"]


def build(name: str, tmp: pytest.TempPathFactory) -> Run:
    recipe, entities, vcf = WORKFLOWS[name]
    root = tmp.mktemp(name)
    modules = render(root, recipe, entities)
    assert set(CHECKS) <= set(modules), modules
    skip_unless_installed(name, CHECKS)
    data = si.write_vcf(tmp.mktemp(f"{name}_data") / "cohort.vcf.gz")
    (root / vcf).parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(data, root / vcf)
    # the sample sheet of the cohort, with the optional sex column the sex check reads (one planted swap)
    with (root / "config" / "samples.tsv").open("w", newline="") as handle:
        writer = csv.writer(handle, delimiter="\t", lineterminator="\n")
        writer.writerow(["sample", "fq1", "fq2", "sex"])
        for sample, sex in si.recorded_sex().items():
            writer.writerow([sample, f"data/{sample}_R1.fastq.gz", f"data/{sample}_R2.fastq.gz", sex])
    return execute(root, modules, {}, targets=TARGETS, allowed=CHECKS, timeout=300)
