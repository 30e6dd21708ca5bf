"""End-to-end checks of the Hi-C workflow and of the shared upstream modules under the tumour/normal design
(tests/modules/workflows/hic_somatic.py).

Hi-C: the planted contact stands out in the raw and balanced matrices (the pairtools and cooler modules' own checks
live beside them: library/modules/<id>/test/check.py). TAD calling (HiCExplorer) is not in Debian and is left out.

Somatic: no somatic caller (Mutect2, Strelka2, VarScan) is packaged in Debian 12, so the somatic_variants recipe
runs up to duplicate marking for a simulated tumour and its matched normal; the checks show the BAMs carry the
read-group sample names Mutect2's -normal needs, the planted somatic SNV is in the tumour only, and the rendered
Mutect2 job pairs the tumour with its normal. A rendering check shows Strelka2 picks up Manta's candidate indels.
"""

from __future__ import annotations

import re
import subprocess

import pytest

from biopipelines.core.schemas import Entities
from biopipelines.library.testdata import synthetic as syn
from biopipelines.library.testdata import synthetic_hic_somatic as hs
from tests.modules.checks import module_check
from tests.modules.harness import SNAKEMAKE, Run, render
from tests.modules.readers import samtools
from tests.modules.workflows.hic_somatic import PAIR


@pytest.fixture()
def somatic_run(runs) -> Run:
    """The somatic recipe run up to duplicate marking (the callers are not in Debian)."""
    return runs("somatic_upstream")


def allele_fraction(bam, contig: str, pos: int, alt: str) -> float:
    pileup = samtools("mpileup", "-Q", "0", "-r", f"{contig}:{pos}-{pos}", str(bam))
    if not pileup:
        return 0.0
    bases = re.sub(r"\^.|\$", "", pileup.split("\t")[4]).upper()
    return bases.count(alt) / max(1, len(bases))


def test_tumour_normal_bams_are_ready_for_a_paired_somatic_caller(somatic_run):
    run = somatic_run
    for sample in PAIR:
        bam = run.path(f"results/samtools_markdup/{sample}.bam")
        assert re.search(rf"@RG\tID:{sample}\tSM:{sample}\t", samtools("view", "-H", str(bam)))
    contig, pos = hs.SOMATIC_SNV
    tumour = allele_fraction(run.path(f"results/samtools_markdup/{PAIR[0]}.bam"), contig, pos, hs.somatic_snv_alt())
    normal = allele_fraction(run.path(f"results/samtools_markdup/{PAIR[1]}.bam"), contig, pos, hs.somatic_snv_alt())
    assert 0.25 < tumour < 0.75 and normal < 0.05, (tumour, normal)
    germline_contig, germline_pos = syn.SNV  # the germline SNV is in both
    for sample in PAIR:
        bam = run.path(f"results/samtools_markdup/{sample}.bam")
        assert allele_fraction(bam, germline_contig, germline_pos, syn.snv_alt()) > 0.9


def test_mutect2_job_pairs_each_tumour_with_its_normal(somatic_run):
    done = subprocess.run([str(SNAKEMAKE), "-s", "workflow/Snakefile", "-n", "-p", "--forcerun", "gatk_mutect2"],
                          cwd=somatic_run.root, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    jobs = [block for block in done.stdout.split("\n\n") if "Mutect2" in block]
    assert len(jobs) == 1, "Mutect2 runs once, on the tumour only"
    assert f"-I results/samtools_markdup/{PAIR[0]}.bam" in jobs[0]
    assert f"-I results/samtools_markdup/{PAIR[1]}.bam" in jobs[0]
    assert f"-normal {PAIR[1]}" in jobs[0]


def test_strelka2_takes_manta_candidate_indels_of_the_same_tumour(tmp_path):
    """Rendering only (neither tool is in Debian): with Manta on, Strelka2 reads its candidate indels."""
    render(tmp_path, "somatic_variants", Entities(tools_requested=["manta", "strelka2"]))
    rule = (tmp_path / "workflow/rules/strelka2_somatic.smk").read_text()
    assert 'indel_candidates="results/manta_somatic/{sample}.candidateSmallIndels.vcf.gz"' in rule
    assert "--indelCandidates {input.indel_candidates}" in rule
    render(tmp_path / "alone", "somatic_variants", Entities(tools_requested=["strelka2"]))
    alone = (tmp_path / "alone/workflow/rules/strelka2_somatic.smk").read_text()
    assert "indel_candidates" not in alone and 'candidates="",' in alone


def test_hic_workflow_recovers_the_planted_contact(runs):
    hic_run = runs("hic")
    module_check("cooler_cload").check(hic_run)
    module_check("cooler_zoomify").check(hic_run)
