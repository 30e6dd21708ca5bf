"""`biopipelines run --test` on generated workflows with Debian's tools, `--heal` ending planted failures in a
successful resumed run whose record names the change, and `analyze` on the executed outputs.

The workflows are what `biopipelines generate` writes for two plain requests; `run --test` itself fills their .test/
placeholders with library/testdata's synthetic reads and reference (planted DE gene, planted SNV), and `analyze
DIR/.test` must label and name them. Planted failures: Picard's Java heap too small for the reads (its -Xmx
comes from the rule's mem_mb: a real out-of-memory, healed by raising mem_mb), a STAR index missing a file
(healed by setting it aside so the index rule rebuilds it) and a reverse-strandedness setting on a forward library
(healed by inferring the strandedness with featureCounts).
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from biopipelines.core.run_record import RunRecord, load_records
from biopipelines.library.testdata import synthetic as syn
from biopipelines.nodes.analysis.figures import image_size, is_blank
from tests.cli import run_cli
from tests.modules.harness import SHIMS, skip_unless_installed

RNA = "Differential expression for 6 paired-end mouse liver samples, 3 knockout vs 3 wild type, STAR and DESeq2"
DNA = "Germline SNV calling with bcftools for 3 paired-end whole-genome samples of Arabidopsis thaliana"


def _generated(root: Path, query: str) -> Path:
    done = run_cli("generate", query, "--out", str(root), "--force", timeout=600)
    assert done.returncode == 0, (done.stdout + done.stderr).decode()[-4000:]
    report = json.loads((root / "report.json").read_text())
    skip_unless_installed(f"run --test of {report['analysis_type']}", [s["module"] for s in report["plan"]["steps"]])
    return root


def _run(root: Path, *extra: str) -> tuple[int, str, RunRecord]:
    env = {"PATH": f"{SHIMS}{os.pathsep}{os.environ['PATH']}"}  # Debian's PicardCommandLine as `picard`
    done = run_cli("run", str(root), "--test", "--cores", "2", *extra, env=env, timeout=1500)
    output = done.stdout.decode() + done.stderr.decode()
    return done.returncode, output, load_records(root)[-1]


@pytest.fixture(scope="module")
def rnaseq_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int, str, RunRecord]:
    root = _generated(tmp_path_factory.mktemp("rnaseq") / "wf", RNA)
    return (root, *_run(root))


def test_rnaseq_de_runs_end_to_end_and_finds_the_planted_gene(rnaseq_run) -> None:
    root, code, output, record = rnaseq_run
    assert code == 0, output[-4000:]
    assert record.status == "succeeded" and record.jobs_done == record.jobs_total and record.test
    assert f"[{record.jobs_total}/{record.jobs_total} jobs]" in output
    assert "wrote synthetic data into .test/" in output
    top = (root / ".test" / "results" / "deseq2" / "de_results.tsv").read_text().splitlines()[1]
    assert top.split("\t")[0] == syn.GENE_UP
    analysis = _analyze(root)  # on the executed outputs: the planted gene is labelled and named
    volcano = next(f for f in analysis["figures"] if f["name"] == "volcano")
    # the plots and summary name genes by the GTF's gene_name
    symbol = syn.gene_name(syn.GENE_UP)
    assert symbol in volcano["labels"] and symbol in analysis["summary"]


def _analyze(root: Path) -> dict:
    """`analyze DIR/.test` after the run; every figure is read back as a real, non-blank image."""
    done = run_cli("analyze", str(root / ".test"), "--json", timeout=600)
    assert done.returncode == 0, (done.stdout + done.stderr).decode()[-3000:]
    analysis = json.loads(done.stdout)
    analysis["summary"] = " ".join(analysis["findings"])  # what the command prints without --json
    for figure in analysis["figures"]:
        assert image_size(Path(figure["png"])) == (figure["height"], figure["width"]) and not is_blank(
            Path(figure["png"])), figure["name"]
    return analysis


def _copy(rnaseq_run, target: Path) -> Path:
    root, code, output, _ = rnaseq_run
    assert code == 0, output[-4000:]
    shutil.copytree(root, target, symlinks=True)
    shutil.rmtree(target / ".biopipelines")
    return target


def test_wrong_strandedness_is_inferred_and_the_run_resumes(rnaseq_run, tmp_path: Path) -> None:
    root = _copy(rnaseq_run, tmp_path / "wf")
    config = root / ".test" / "config" / "config.yaml"
    text = config.read_text()
    assert "strandedness: auto" in text  # generated: inferred from the reads (forward here)
    config.write_text(text.replace("strandedness: auto", "strandedness: reverse"))
    code, output, record = _run(root, "--heal")
    assert code == 0, output[-4000:]
    (step,) = record.heals
    assert step.cause == "strandedness_or_layout" and step.revalidated
    assert step.changes == [".test/config/config.yaml: strandedness: reverse -> forward"]
    assert 'strandedness: "forward"' in config.read_text()
    assert "strandedness: reverse -> forward" in (root / "README.md").read_text()
    first = load_records(root)[0]
    assert first.status == "failed" and first.failure.rule == "deseq2" and record.resumed_from == first.id


DOWNSTREAM_OF_ALIGNMENT = ("infer_strandedness", "featurecounts", "deseq2", "multiqc")


def test_a_missing_index_file_is_rebuilt_and_the_run_resumes(rnaseq_run, tmp_path: Path) -> None:
    root = _copy(rnaseq_run, tmp_path / "wf")
    (root / ".test" / "resources" / "star_index" / "genomeParameters.txt").unlink()
    aligned = sorted(p for p in (root / ".test" / "results" / "star_align").iterdir() if p.is_dir())
    # as if the run had stopped after aligning the other samples: one sample's alignment must run again, and meets
    # the broken index (Snakemake does not rebuild a missing intermediate while everything after it is up to date)
    for done in (aligned[0], *(root / ".test" / "results" / step for step in DOWNSTREAM_OF_ALIGNMENT)):
        shutil.rmtree(done)
    code, output, record = _run(root, "--heal")
    assert code == 0, output[-4000:]
    (step,) = record.heals
    assert step.cause == "missing_reference" and step.rule == "star_align"
    assert step.changes[0].startswith("resources/star_index: set aside to .biopipelines/runs/")
    assert (root / ".test" / "resources" / "star_index" / "genomeParameters.txt").is_file()
    assert any(j.rule == "star_index" and j.status == "done" for j in record.jobs)


def test_germline_out_of_memory_gets_more_memory_and_the_run_resumes(tmp_path: Path) -> None:
    root = _generated(tmp_path / "wf", DNA)
    (root / "profiles" / "default").mkdir(parents=True)
    # Picard's heap is 80% of mem_mb: 8 MB cannot hold MarkDuplicates' tables for these reads (16 MB can)
    (root / "profiles" / "default" / "config.yaml").write_text("set-resources:\n  picard_markduplicates:\n"
                                                               "    mem_mb: 10\n")
    code, output, record = _run(root, "--heal")
    assert code == 0, output[-4000:]
    first = load_records(root)[0]
    assert first.failure.cause == "out_of_memory" and "OutOfMemoryError" in first.failure.evidence
    (step,) = record.heals
    assert step.changes == ["profiles/default/config.yaml: set-resources.picard_markduplicates.mem_mb: 10 -> 20"]
    assert record.status == "succeeded" and record.attempts == 2
    vcf = root / ".test" / "results" / "bcftools_call" / "cohort.vcf.gz"
    assert vcf.is_file() and vcf.stat().st_size > 0
    contig, pos = syn.SNV
    assert f"{contig}:{pos} {syn.snv_ref()}>{syn.snv_alt()}" in _analyze(root)["summary"]
