"""Execution tests of the metagenome assembly and binning recipe (tests/modules/test_modules_run.py explains the
pattern): the workflow is planned and rendered by the library and run by Snakemake with the Debian tools on PATH,
on a toy community with a planted truth (synthetic_metagenome_assembly.py): three 40 kb genomes of different GC at
different depths in two samples, plus a short element.

The binners (MetaBAT2, MaxBin2, CONCOCT), the depth tool and CheckM2/GTDB-Tk are not packaged in Debian, so the
workflows run up to the per-sample BAMs against the contigs (Snakemake is given the outputs of the Debian-packaged
steps as targets); those steps are then checked for what binning needs: every planted genome assembled, short
contigs removed, reads mapped back, and contig depths that follow the planted abundances in each sample.

The general-purpose modules added with this recipe are checked here too: samtools flagstat (in the metagenome
workflow), bedtools genomecov and Picard CollectInsertSizeMetrics (in an ATAC-seq workflow on tests/modules/
synthetic.py's open-chromatin data, where they are alternatives).
"""

from __future__ import annotations

import gzip
import re
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from biopipelines.core.schemas import Entities
from biopipelines.library import load_library
from tests.modules import synthetic_metagenome_assembly as meta
from tests.modules.harness import Run, RunOnce, configure, execute, render, skip_unless_installed

K = 31
# name -> (recipe, entities, data, config for the toy data)
WORKFLOWS: dict[str, tuple[str, Entities, str, dict]] = {
    "metagenome_megahit": ("metagenome_assembly", Entities(tools_requested=["samtools flagstat"]), "community", {}),
    # SPAdes cannot guess the quality offset of all-'I' simulated qualities; error correction skipped for speed
    "metagenome_metaspades": ("metagenome_assembly",
                              Entities(tools_requested=["metaspades"], tools_excluded=[
                                  "step:trimming", "step:read_qc", "step:alignment_qc", "step:report"]),
                              "community", {"metaspades": {"extra": "--phred-offset 33 --only-assembler"}}),
    # the general-purpose alternatives this file also checks: ATAC-seq with insert sizes and a bedGraph track
    "atacseq_bedgraph": ("atacseq", Entities(tools_requested=["bedtools genomecov", "collectinsertsizemetrics",
                                                              "samtools markdup"],
                                             tools_excluded=["step:trimming", "step:qc"]),
                         "atac", {"macs3_atac": {"gsize": "50000"}}),
}


def debian_targets(root: Path, modules: list[str], samples: list[str]) -> tuple[list[str], list[str]]:
    """The Debian-packaged modules of the plan and their outputs (per-sample ones for every sample)."""
    library = load_library()
    runnable = [m for m in modules if library.module(m).debian]
    targets = []
    for module in runnable:
        spec = library.module(module)
        if spec.scope == "reference":
            continue
        for port in spec.outputs_for("paired"):
            paths = [port.path.format(sample=s) for s in samples] if spec.scope == "per_sample" else [port.path]
            targets += [p for p in paths if p not in targets]
    return runnable, targets


@pytest.fixture(scope="session")
def meta_runs(tmp_path_factory):
    def build(name: str) -> Run:
        recipe, entities, kind, tuning = WORKFLOWS[name]
        root = tmp_path_factory.mktemp(name)
        modules = render(root, recipe, entities)
        data = tmp_path_factory.mktemp(f"{name}_data")
        if kind == "community":
            rows = meta.community_reads(data / "reads")
            # the CheckM2 database is a config path; the CheckM2 step is not run here
            reference = {"checkm2_db": data / "checkm2_placeholder.dmnd"}
        else:
            rows = meta.syn.atac_reads(data / "reads")
            reference = meta.syn.write_reference(data / "reference")
        runnable, targets = debian_targets(root, modules, [r["sample"] for r in rows])
        skip_unless_installed(name, runnable)
        config = configure(root, reference, rows, tuning)
        return execute(root, runnable, config, targets, timeout=900)

    return RunOnce(build)


# -- content helpers ---------------------------------------------------------------------------------------------

def read_fasta(path: Path) -> dict[str, str]:
    """Header line (without '>') -> sequence."""
    seqs: dict[str, list[str]] = {}
    name = None
    opener = gzip.open if str(path).endswith(".gz") else open
    with opener(path, "rt") as handle:
        for line in handle:
            line = line.strip()
            if line.startswith(">"):
                name = line[1:]
                seqs[name] = []
            elif name is not None:
                seqs[name].append(line)
    return {n: "".join(s) for n, s in seqs.items()}


def kmers(seq: str) -> set[str]:
    """Canonical k-mers (a k-mer and its reverse complement count as one)."""
    found = set()
    rc = meta.syn.revcomp(seq)
    n = len(seq)
    for i in range(n - K + 1):
        forward, reverse = seq[i:i + K], rc[n - K - i:n - i]
        found.add(min(forward, reverse))
    return found


def planted_kmers() -> dict[str, set[str]]:
    return {name: kmers(seq) for name, seq in meta.genomes().items()}


def origin(contig: str, planted: dict[str, set[str]]) -> str:
    """The planted sequence most of the contig's k-mers come from."""
    own = kmers(contig)
    return max(planted, key=lambda name: len(own & planted[name]))


def check_assembly(contigs: dict[str, str]) -> None:
    """Each planted genome is at least 95% recovered, and the contigs hold (almost) nothing else."""
    planted = planted_kmers()
    assembled = set().union(*(kmers(s) for s in contigs.values()))
    for name, truth in planted.items():
        assert len(truth & assembled) > 0.95 * len(truth), f"{name} is not assembled"
    everything = set().union(*planted.values())
    assert len(assembled & everything) > 0.97 * len(assembled)  # no chimeras or junk


def samtools(*args: str) -> str:
    return subprocess.run(["samtools", *args], capture_output=True, text=True, check=True).stdout


# -- one check per module ---------------------------------------------------------------------------------------

def check_megahit(run: Run) -> None:
    contigs = read_fasta(run.path("results/megahit/contigs.fa"))
    assert all(header.startswith("k") and " len=" in header for header in contigs)  # MEGAHIT's own headers
    check_assembly(contigs)
    planted = planted_kmers()
    element = [s for s in contigs.values() if origin(s, planted) == meta.ELEMENT]
    assert element and all(len(s) < 1000 for s in element)  # the short element is a contig of its own


def check_contig_filter(run: Run) -> None:
    raw = read_fasta(run.path("results/megahit/contigs.fa"))
    kept = read_fasta(run.path("results/contig_filter/contigs.fa"))
    assert all(len(s) >= 1000 for s in kept.values())
    assert sorted(kept) == sorted(h.split()[0] for h, s in raw.items() if len(s) >= 1000)  # IDs only
    planted = planted_kmers()
    assert sorted(origin(s, planted) for s in kept.values() if len(s) > 10_000) == sorted(meta.GC)
    assert meta.ELEMENT not in {origin(s, planted) for s in kept.values()}
    check_assembly(kept | {"element": meta.genomes()[meta.ELEMENT]})
    rows = [line.split("\t") for line in run.path("results/contig_filter/contigs.stats.tsv").read_text()
            .splitlines()]
    counts = [int(r[rows[0].index("num_seqs")].replace(",", "")) for r in rows[1:]]  # before, after filtering
    assert counts == [len(raw), len(kept)]


def check_bowtie2_contig_index(run: Run) -> None:
    names = subprocess.run(["bowtie2-inspect", "-n", str(run.path("results/bowtie2_contig_index/contigs"))],
                           capture_output=True, text=True, check=True).stdout.split()
    assert sorted(names) == sorted(read_fasta(run.path("results/contig_filter/contigs.fa")))


def _genome_depths(run: Run, sample: str) -> dict[str, float]:
    """Mean depth of each planted genome's contigs in the sample's BAM (reads x read length / contig length)."""
    contigs = read_fasta(run.path("results/contig_filter/contigs.fa"))
    planted = planted_kmers()
    bases: dict[str, float] = {}
    length: dict[str, int] = {}
    for line in samtools("idxstats", str(run.path(f"results/bowtie2_contig_align/{sample}.bam"))).splitlines():
        name, size, mapped, _ = line.split("\t")
        if name == "*":
            continue
        genome = origin(contigs[name], planted)
        bases[genome] = bases.get(genome, 0) + int(mapped) * meta.syn.READ_LEN
        length[genome] = length.get(genome, 0) + int(size)
    return {g: bases[g] / length[g] for g in bases}


def check_bowtie2_contig_align(run: Run) -> None:
    for sample, planted in meta.DEPTH.items():
        summary = run.path(f"results/bowtie2_contig_align/{sample}.bowtie2.log").read_text()
        assert float(re.search(r"([\d.]+)% overall alignment rate", summary).group(1)) > 95
        assert "SO:coordinate" in samtools("view", "-H", str(run.path(f"results/bowtie2_contig_align/{sample}.bam")))
        depths = _genome_depths(run, sample)  # idxstats needs the .bai the rule wrote
        assert set(depths) == set(meta.GC)
        for genome, depth in depths.items():
            # fastp trims a little; the depth tracks the planted abundance within 20%
            assert 0.8 * planted[genome] < depth < 1.1 * planted[genome], (sample, genome, depth)
    # the across-sample profiles differ: genome_a falls from sample 1 to 2, the others rise
    first, second = _genome_depths(run, "sample_1"), _genome_depths(run, "sample_2")
    assert first["genome_a"] > 3 * second["genome_a"] and second["genome_b"] > 1.5 * first["genome_b"]


def check_metaspades(run: Run) -> None:
    scaffolds = read_fasta(run.path("results/metaspades/scaffolds.fa"))
    assert all(header.startswith("NODE_") for header in scaffolds)
    check_assembly(scaffolds)
    planted = planted_kmers()
    # the reads of both samples were pooled: each genome's scaffold carries the summed coverage of both samples
    long = {origin(s, planted): s for s in scaffolds.values() if len(s) > 10_000}
    assert sorted(long) == sorted(meta.GC)


def check_samtools_flagstat(run: Run) -> None:
    for sample in meta.DEPTH:
        text = run.path(f"results/samtools_flagstat/{sample}.flagstat.txt").read_text()
        total = int(re.search(r"^(\d+) \+ 0 in total", text, re.M).group(1))
        with gzip.open(run.path(f"results/fastp/{sample}_R1.fastq.gz"), "rt") as handle:
            pairs = sum(1 for _ in handle) // 4
        assert total == 2 * pairs  # every trimmed read, no secondary alignments from end-to-end Bowtie2
        assert float(re.search(r"mapped \(([\d.]+)%", text).group(1)) > 95
        assert float(re.search(r"properly paired \(([\d.]+)%", text).group(1)) > 90


def _bedgraph_mean(rows: list[tuple[str, int, int, float]], contig: str, start: int, end: int) -> float:
    covered = sum((min(e, end) - max(s, start)) * v for c, s, e, v in rows if c == contig and e > start and s < end)
    return covered / (end - start)


def check_bedtools_genomecov(run: Run) -> None:
    rows = []
    for line in run.path("results/bedtools_genomecov/chip_1.bedGraph").read_text().splitlines():
        contig, start, end, value = line.split("\t")
        rows.append((contig, int(start), int(end), float(value)))
    assert {r[0] for r in rows} == set(meta.syn.CONTIGS)
    assert all(s < e and v > 0 for _, s, e, v in rows)  # runs of equal depth; uncovered stretches left out
    contig, summit = meta.syn.PEAK
    peak, background = _bedgraph_mean(rows, contig, summit - 200, summit + 200), _bedgraph_mean(rows, contig, 2000,
                                                                                                12000)
    assert peak > 5 * background > 0  # the planted open-chromatin site stands out of the background


def check_picard_collectinsertsizemetrics(run: Run) -> None:
    lines = run.path("results/picard_collectinsertsizemetrics/chip_1.insert_size_metrics.txt").read_text() \
        .splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("MEDIAN_INSERT_SIZE"))
    row = dict(zip(lines[header].split("\t"), lines[header + 1].split("\t"), strict=False))
    assert row["PAIR_ORIENTATION"] == "FR"
    # fragments were simulated at 220 +- 20 bp
    assert abs(float(row["MEDIAN_INSERT_SIZE"]) - meta.syn.FRAGMENT) < 10
    assert 10 < float(row["STANDARD_DEVIATION"]) < 35
    assert int(row["READ_PAIRS"]) > 1000
    assert any(line.startswith("insert_size") for line in lines)  # the histogram table follows the metrics
    pdf = run.path("results/picard_collectinsertsizemetrics/chip_1.insert_size_histogram.pdf").read_bytes()
    assert pdf.startswith(b"%PDF")


CHECKS: dict[str, tuple[str, Callable[[Run], None]]] = {
    "samtools_flagstat": ("metagenome_megahit", check_samtools_flagstat),
    "bedtools_genomecov": ("atacseq_bedgraph", check_bedtools_genomecov),
    "picard_collectinsertsizemetrics": ("atacseq_bedgraph", check_picard_collectinsertsizemetrics),
    "megahit": ("metagenome_megahit", check_megahit),
    "contig_filter": ("metagenome_megahit", check_contig_filter),
    "bowtie2_contig_index": ("metagenome_megahit", check_bowtie2_contig_index),
    "bowtie2_contig_align": ("metagenome_megahit", check_bowtie2_contig_align),
    "metaspades": ("metagenome_metaspades", check_metaspades),
}


@pytest.mark.parametrize("module", sorted(CHECKS))
def test_module_output_content(meta_runs, module):
    meta_runs.check(CHECKS, module)


def test_the_recipe_plans_binning_and_bin_quality():
    """The steps that cannot run here are still planned: depth, MetaBAT2 and CheckM2 by default; CONCOCT and
    SemiBin2 make the depth step unnecessary."""
    library = load_library()
    default = [s.module for s in library.plan("metagenome_assembly", Entities()).steps]
    assert default.index("megahit") < default.index("bowtie2_contig_align") < default.index("metabat2_depth") \
        < default.index("metabat2") < default.index("checkm2")
    for binner in ("concoct", "semibin2"):  # they read the BAMs themselves
        steps = [s.module for s in library.plan("metagenome_assembly", Entities(tools_requested=[binner])).steps]
        assert binner in steps and "metabat2_depth" not in steps and "metabat2" not in steps
    maxbin = [s.module for s in library.plan("metagenome_assembly", Entities(tools_requested=["maxbin2"])).steps]
    assert maxbin.index("metabat2_depth") < maxbin.index("maxbin2")  # MaxBin2 reads the depth table
