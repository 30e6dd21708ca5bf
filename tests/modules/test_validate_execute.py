"""`biopipelines validate --execute` on workflows that `generate` writes for plain requests: .test/'s placeholders
are filled with library/testdata's synthetic dataset inside a sandbox copy, the whole workflow runs with the system
tools, and the planted truth (DE gene or miRNA, SNV, deletion, peak, association, taxa, CNVs, cassette exon,
clade) is found in its results; report.json records it. An analysis without a dataset keeps its dry run and says
why. Two requests name a Debian-packaged choice: germline calling with bcftools (GATK, the default caller, is not
packaged in Debian) and small RNA-seq without miRTrace (not packaged either)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.cli import run_cli
from tests.modules.harness import SHIMS, skip_unless_installed

pytestmark = pytest.mark.timeout(1800)
REQUESTS = {
    "rnaseq_de": "Differential expression for 4 paired-end mouse samples, 2 knockout vs 2 wild type, STAR and DESeq2",
    "germline_variants": "Germline SNV calling with bcftools for 2 paired-end whole-genome samples of Arabidopsis",
    "viral_consensus": "SARS-CoV-2 consensus genomes and variants from 2 paired-end samples",
    "structural_variants": "Structural variant calling with Delly in 2 human whole genomes",
    "chipseq_peaks": "ChIP-seq peak calling for H3K4me3 in 1 sample with an input control, human",
    "cutandrun": "CUT&RUN for H3K27me3 in 1 sample with an IgG control, human",
    "atacseq": "ATAC-seq of 2 paired-end mouse samples, call open chromatin peaks",
    "gwas": "Genome-wide association study of type 2 diabetes in a case-control cohort genotyped on SNP arrays "
            "(PLINK bed/bim/fam), adjusting for ancestry with principal components; Manhattan and QQ plots",
    "phasing_imputation": "Impute genotypes of my cohort VCF against the 1000 Genomes reference panel with Beagle",
    "amplicon_16s": "16S rRNA V4 amplicon sequencing of 2 paired-end gut samples: denoise to ASVs and assign taxonomy",
    "cnv_calling": "Copy-number variant calling with CNVkit in 4 human exomes",
    "small_rnaseq": "Small RNA-seq of 3 treated and 3 control human samples: miRNA differential expression, "
                    "without miRTrace",
    "alternative_splicing": "Differential exon usage with DEXSeq between 3 treated and 3 control human samples",
    "hic": "Hi-C contact matrices for 2 human samples, without TAD calling",
    "pangenome": "Pan-genome and core-genome phylogeny of 4 bacterial isolate assemblies",
    "outbreak_phylogeny": "Core-genome SNP phylogeny of 6 Klebsiella outbreak isolates (paired-end Illumina) against "
                          "a reference genome, with recombination removal and pairwise SNP distances",
}

SYSTEM_PYTHON = {"alternative_splicing"}


def _generate(root: Path, query: str) -> dict:
    done = run_cli("generate", query, "--out", str(root), "--force", timeout=600)
    assert done.returncode == 0, (done.stdout + done.stderr).decode()[-4000:]
    return json.loads((root / "report.json").read_text())


@pytest.mark.parametrize("analysis_type", sorted(REQUESTS))
def test_generated_workflow_executes_and_recovers_its_planted_truth(analysis_type: str, tmp_path: Path) -> None:
    root = tmp_path / "wf"
    report = _generate(root, REQUESTS[analysis_type])
    assert report["analysis_type"] == analysis_type
    skip_unless_installed(f"validate --execute of {analysis_type}", [s["module"] for s in report["plan"]["steps"]])
    # Debian's PicardCommandLine as `picard`, etc.; DEXSeq's annotation script needs the python3 that has Debian's
    # HTSeq (the module tests run it the same way)
    system = ["/usr/bin"] if analysis_type in SYSTEM_PYTHON else []
    env = {"PATH": os.pathsep.join([str(SHIMS), *system, os.environ["PATH"]])}
    empty_before = [p for p in (root / ".test").rglob("*") if p.is_file() and p.stat().st_size == 0]
    done = run_cli("validate", str(root), "--execute", "--json", env=env, timeout=1800)
    result = json.loads(done.stdout)
    checks = {c["check"]: c for c in result["validation"]}
    assert done.returncode == 0 and result["ok"], json.dumps(result["validation"], indent=1)[-4000:]
    assert checks["execute"]["ok"] and " jobs in " in checks["execute"]["details"]
    assert checks["planted_truth"]["ok"] and "planted" in checks["planted_truth"]["details"]
    recorded = json.loads((root / "report.json").read_text())
    assert recorded["execution"]["ran"] and {"execute", "planted_truth"} <= {c["check"] for c in
                                                                            recorded["validation"]}
    # the user's copy is untouched: its placeholders are still empty, and no synthetic data was written there
    assert empty_before and all(p.stat().st_size == 0 for p in empty_before)
    assert not (root / ".test" / "data" / "synthetic").exists()


def test_an_analysis_without_a_dataset_keeps_its_dry_run_and_says_why(tmp_path: Path) -> None:
    root = tmp_path / "wf"
    _generate(root, "Ribo-seq of 2 treated and 2 control human samples")
    done = run_cli("validate", str(root), "--execute")
    out = done.stdout.decode()
    assert done.returncode == 0 and "ok   dry_run" in out and "ok   execute" not in out
    assert "not executed: no synthetic dataset for riboseq" in out
    recorded = json.loads((root / "report.json").read_text())
    assert recorded["execution"]["ran"] is False and "no synthetic dataset" in recorded["execution"]["not_run"]


def test_a_step_whose_tool_debian_lacks_keeps_the_dry_run_and_names_the_tool(tmp_path: Path) -> None:
    """Small RNA-seq's default plan has miRTrace, which Debian does not package: nothing runs, and report.json says
    which tool is missing."""
    root = tmp_path / "wf"
    _generate(root, "Small RNA-seq of 3 treated and 3 control human samples: miRNA differential expression")
    env = {"PATH": f"{SHIMS}{os.pathsep}{os.environ['PATH']}"}
    done = run_cli("validate", str(root), "--execute", env=env)
    out = done.stdout.decode()
    assert done.returncode == 0 and "ok   dry_run" in out and "ok   execute" not in out
    assert "not executed: tools the workflow's steps call are not on PATH: mirtrace (not packaged in Debian)" in out
    recorded = json.loads((root / "report.json").read_text())
    assert recorded["execution"]["ran"] is False and "mirtrace" in recorded["execution"]["not_run"]
