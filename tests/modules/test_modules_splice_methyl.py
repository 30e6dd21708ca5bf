"""Alternative-splicing and bisulfite-methylation modules run for real on synthetic data with a planted truth (see
synthetic_splice_methyl.py).

- splicing_dexseq: the alternative_splicing recipe's default path, STAR -> DEXSeq annotation -> dexseq_count.py ->
  DEXSeq: the planted cassette exon (included in control, skipped in treated) is the top differential exon bin;
- bisulfite_targeted: the bisulfite_methylation recipe rendered as generated; Bismark, bwa-meth and MethylDackel
  are not packaged in Debian, so only the Debian-packaged rules run, as targets: Trim Galore on reads that run
  into the Illumina adapter (the adapter must be gone), and DSS on planted Bismark-format coverage files put where
  the methylation-calling step writes them (`--allowed-rules` keeps Snakemake from trying to make them).

DEXSeq's Python scripts need HTSeq: Debian installs it for /usr/bin/python3, so /usr/bin comes first on PATH
(a virtual environment's python3 would otherwise be found first and lack HTSeq).
"""

from __future__ import annotations

import gzip
from collections.abc import Callable
from pathlib import Path

import pytest

from biopipelines.core.schemas import Entities
from tests.modules import synthetic_splice_methyl as sm
from tests.modules.harness import Run, RunOnce, configure, execute, render, skip_unless_installed

NO_QC = ["step:qc"]  # FastQC and MultiQC are checked by test_modules_run.py
COVERAGE = "results/methyldackel_extract/{sample}.cov.gz"  # where the default methylation caller writes
# name -> (recipe, entities, modules that run, targets (None: the whole workflow), rules allowed to run)
WORKFLOWS: dict[str, tuple[str, Entities, list[str] | None, list[str] | None, list[str] | None]] = {
    "splicing_dexseq": ("alternative_splicing", Entities(tools_excluded=[*NO_QC, "step:trimming"]), None, None,
                        None),
    "bisulfite_targeted": ("bisulfite_methylation", Entities(tools_excluded=NO_QC), ["trim_galore", "dss_dmr"],
                           ["results/dss_dmr/dmr.tsv", *[f"results/trim_galore/{s}_R{m}.fastq.gz"
                                                         for s in ("control_1", "treated_1") for m in (1, 2)]],
                           ["trim_galore", "dss_dmr"]),
}


def _data(name: str, folder: Path, run_root: Path) -> tuple[dict[str, Path], list[dict]]:
    if name == "splicing_dexseq":
        return sm.write_splice_reference(folder / "reference"), sm.splice_reads(folder / "reads")
    reference = {"fasta": sm.syn.write_fasta(folder / "reference" / "genome.fa", sm.syn.genome())}
    rows = sm.adapter_reads(folder / "reads")
    for row in rows:  # the planted methylation calls, in place of the (non-Debian) caller's output
        sm.write_coverage(run_root / COVERAGE.format(sample=row["sample"]), row["condition"], row["sample"])
    return reference, rows


@pytest.fixture(scope="session")
def splice_methyl_runs(tmp_path_factory):
    def build(name: str) -> Run:
        recipe, entities, runs_only, targets, allowed = WORKFLOWS[name]
        root = tmp_path_factory.mktemp(name)
        modules = render(root, recipe, entities)
        skip_unless_installed(name, runs_only or modules)
        reference, rows = _data(name, tmp_path_factory.mktemp(f"{name}_data"), root)
        config = configure(root, reference, rows)
        return execute(root, runs_only or modules, config, targets, allowed, system_tools_first=True)

    return RunOnce(build)


def table(path: Path) -> list[dict[str, str]]:
    lines = path.read_text().splitlines()
    header = lines[0].split("\t")
    return [dict(zip(header, line.split("\t"), strict=False)) for line in lines[1:]]


def fastq_sequences(path: Path) -> list[str]:
    with gzip.open(path, "rt") as handle:
        return [line.strip() for n, line in enumerate(handle) if n % 4 == 1]


# -- splicing --------------------------------------------------------------------------------------------------------

def check_dexseq_prepare_annotation(run: Run) -> None:
    rows = [line.split("\t") for line in run.path("resources/dexseq_prepare_annotation/annotation.gff").read_text()
            .splitlines()]
    genes = [r for r in rows if r[2] == "aggregate_gene"]
    parts = [r for r in rows if r[2] == "exonic_part"]
    assert len(genes) == sm.SPLICE_GENES
    assert len(parts) == 3 * sm.SPLICE_GENES  # three exons, no overlaps: one bin each
    contig, start, end = sm.cassette_exon()
    cassette = [r for r in parts if f'"{sm.CASSETTE_GENE}"' in r[8] and r[0] == contig]
    assert [int(cassette[1][3]), int(cassette[1][4])] == [start, end]
    assert 'exonic_part_number "002"' in cassette[1][8]


def _exon_counts(run: Run, sample: str) -> dict[str, int]:
    """Bin -> count, bins named gene:E001 (older scripts write gene:001)."""
    lines = run.path(f"results/dexseq_count/{sample}.counts.txt").read_text().splitlines()
    counts = {}
    for key, value in (line.split("\t") for line in lines):
        gene, _, part = key.strip('"').rpartition(":")
        counts[f"{gene}:E{part.lstrip('E')}" if gene else key] = int(value)
    return counts


def check_dexseq_count(run: Run) -> None:
    control, treated = _exon_counts(run, "control_1"), _exon_counts(run, "treated_1")
    exon_bins = {k: v for k, v in control.items() if not k.startswith("_")}
    assert len(exon_bins) == 3 * sm.SPLICE_GENES
    assert sum(exon_bins.values()) > 3000 and min(exon_bins.values()) > 0  # every bin of every gene counted
    assert control["_empty"] < 0.05 * sum(exon_bins.values())  # reads land in the annotated bins
    middle = f"{sm.CASSETTE_GENE}:E002"
    first = f"{sm.CASSETTE_GENE}:E001"
    # the cassette exon's share of the gene's reads drops in the treated sample
    assert control[middle] / control[first] > 2 * treated[middle] / treated[first]


def check_dexseq(run: Run) -> None:
    rows = table(run.path("results/dexseq/dexseq_results.tsv"))
    top = rows[0]
    assert (top["groupID"], top["featureID"]) == (sm.CASSETTE_GENE, "E002"), top
    assert float(top["padj"]) < 1e-3 and float(top["log2FoldChange"]) < -1  # skipped in treated
    contig, start, end = sm.cassette_exon()
    assert (top["chr"], int(top["start"]), int(top["end"])) == (contig, start, end)
    others = [r for r in rows if r["groupID"] != sm.CASSETTE_GENE and r["padj"] != "NA"]
    assert others and all(float(r["padj"]) > 0.01 for r in others)  # no other gene is called
    assert run.path("results/dexseq/plots.pdf").stat().st_size > 1000


# -- bisulfite -------------------------------------------------------------------------------------------------------

def check_trim_galore(run: Run) -> None:
    for mate, adapter in ((1, sm.ADAPTER_R1), (2, sm.ADAPTER_R2)):
        raw = fastq_sequences(run.reads("control_1").with_name(f"control_1_R{mate}.fastq.gz"))
        trimmed = fastq_sequences(run.path(f"results/trim_galore/control_1_R{mate}.fastq.gz"))
        assert sum(adapter[:13] in s for s in raw) > 0.4 * len(raw)  # half the raw reads carry the adapter
        assert not any(adapter[:13] in s for s in trimmed)  # and none is left
        assert len(trimmed) > 0.95 * len(raw)  # pairs are kept (50 bp inserts are long enough)
        lengths = [len(s) for s in trimmed]
        assert sum(sm.SHORT_FRAGMENT - 2 <= n <= sm.SHORT_FRAGMENT for n in lengths) > 0.4 * len(lengths)
    report = run.path("results/trim_galore/control_1_R1.trimming_report.txt").read_text()
    assert "Trim Galore" in report and "AGATCGGAAGAGC" in report  # auto-detected Illumina adapter


def check_dss_dmr(run: Run) -> None:
    contig, start, end = sm.DMR
    dmrs = table(run.path("results/dss_dmr/dmr.tsv"))
    assert dmrs, "no DMR called"
    hits = [r for r in dmrs if r["chr"] == contig and int(r["start"]) <= end and int(r["end"]) >= start]
    assert hits, dmrs[:3]
    best = max(hits, key=lambda r: abs(float(r["areaStat"])))
    overlap = min(end, int(best["end"])) - max(start, int(best["start"]))
    assert overlap > 0.6 * (end - start)
    # diff.Methy is group 1 (treated, the contrast's numerator) minus group 2 (control)
    assert float(best["diff.Methy"]) < -0.5
    assert len(dmrs) == len(hits)  # nothing called outside the planted region
    dmls = table(run.path("results/dss_dmr/dml.tsv"))
    inside = [r for r in dmls if sm.in_dmr(r["chr"], int(r["pos"]))]
    assert len(inside) > 0.8 * len(dmls) and len(inside) > 20


CHECKS: dict[str, tuple[str, Callable[[Run], None]]] = {
    "dexseq_prepare_annotation": ("splicing_dexseq", check_dexseq_prepare_annotation),
    "dexseq_count": ("splicing_dexseq", check_dexseq_count),
    "dexseq": ("splicing_dexseq", check_dexseq),
    "trim_galore": ("bisulfite_targeted", check_trim_galore),
    "dss_dmr": ("bisulfite_targeted", check_dss_dmr),
}


@pytest.mark.parametrize("module", sorted(CHECKS))
def test_module_output_content(splice_methyl_runs, module):
    splice_methyl_runs.check(CHECKS, module)
