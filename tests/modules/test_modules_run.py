"""Modules run for real, the way snakemake-wrappers tests its wrappers: each workflow below is planned and rendered
by the library, run by Snakemake (no conda: the Debian tools on PATH) on synthetic data with a planted truth, and
every module it contains gets a test that checks its output's content.

A workflow's tests skip only when a binary its modules need is missing, naming it (CI installs them with apt).
The RNA-seq DE and germline workflows are also the end-to-end checks: the planted DE gene tops the table and the
planted SNV is called in every sample.
"""

from __future__ import annotations

import gzip
import json
import re
import subprocess
import zipfile
from collections.abc import Callable

import pytest

from biopipelines.core.schemas import Entities
from tests.modules import synthetic as syn
from tests.modules.harness import Run, RunOnce, configure, execute, render, skip_unless_installed

# name -> (recipe, entities, synthetic data kind)
WORKFLOWS: dict[str, tuple[str, Entities, str]] = {
    "rnaseq_star_deseq2": ("rnaseq_de", Entities(), "rna"),
    "rnaseq_hisat2_edger": ("rnaseq_de", Entities(tools_requested=["hisat2", "edger"]), "rna"),
    "rnaseq_salmon_deseq2": ("rnaseq_de", Entities(tools_requested=["salmon"], tools_excluded=["step:trimming"]),
                             "rna"),
    "germline_bcftools": ("germline_variants", Entities(tools_requested=["bcftools", "samtools markdup", "cutadapt"]),
                          "dna"),
    "germline_freebayes": ("germline_variants", Entities(tools_requested=["freebayes", "trimmomatic"]), "dna"),
    "chipseq_bowtie2_macs": ("chipseq_peaks", Entities(tools_requested=["sambamba"]), "chip"),
    "atacseq_default": ("atacseq", Entities(tools_excluded=["step:trimming"]), "atac"),
    "sv_delly": ("structural_variants", Entities(tools_requested=["samtools markdup"],
                                                 tools_excluded=["step:trimming"]), "sv"),
    "viral_bcftools": ("viral_consensus", Entities(tools_excluded=["step:trimming"]), "dna"),
}


def _data(kind: str, folder):
    reference = syn.write_reference(folder / "reference")
    reads = {"rna": syn.rnaseq_reads, "dna": syn.dna_reads, "chip": syn.chip_reads, "atac": syn.atac_reads,
             "sv": lambda folder: syn.dna_reads(folder, deletion=True)}
    rows = reads[kind](folder / "reads")
    return reference, rows


@pytest.fixture(scope="session")
def runs(tmp_path_factory):
    """Each workflow run at most once per session, on first use."""
    def build(name: str) -> Run:
        recipe, entities, kind = WORKFLOWS[name]
        root = tmp_path_factory.mktemp(name)
        modules = render(root, recipe, entities)
        skip_unless_installed(name, modules)
        reference, rows = _data(kind, tmp_path_factory.mktemp(f"{name}_data"))
        config = configure(root, reference, rows)
        return execute(root, modules, config)

    return RunOnce(build)


# -- content helpers ---------------------------------------------------------------------------------------------

def samtools(*args: str) -> str:
    return subprocess.run(["samtools", *args], capture_output=True, text=True, check=True).stdout


def mapped_fraction(bam) -> float:
    stats = samtools("flagstat", "-O", "json", str(bam))
    data = json.loads(stats)["QC-passed reads"]
    return data["primary mapped"] / max(1, data["primary"])


def idxstats(bam) -> dict[str, int]:
    return {line.split("\t")[0]: int(line.split("\t")[2]) for line in samtools("idxstats", str(bam)).splitlines()
            if not line.startswith("*")}


def vcf_records(path) -> list[list[str]]:
    opener = gzip.open if str(path).endswith(".gz") else open
    with opener(path, "rt") as handle:
        return [line.rstrip("\n").split("\t") for line in handle if not line.startswith("#")]


def snv_genotypes(path) -> list[str]:
    """Genotypes of the planted SNV (empty when it was not called)."""
    contig, pos = syn.SNV
    for fields in vcf_records(path):
        if fields[0] == contig and int(fields[1]) == pos:
            assert fields[3] == syn.snv_ref() and syn.snv_alt() in fields[4].split(","), fields[:5]
            keys = fields[8].split(":")
            return [sample.split(":")[keys.index("GT")] for sample in fields[9:]]
    return []


def table(path) -> list[dict[str, str]]:
    lines = [line for line in path.read_text().splitlines() if not line.startswith("#")]
    header = lines[0].split("\t")
    return [dict(zip(header, line.split("\t"), strict=False)) for line in lines[1:]]


def first_sample(run: Run) -> str:
    if "rnaseq" in run.root.name:
        return "control_1"
    return "chip_1" if "chipseq" in run.root.name or "atac" in run.root.name else "sample_1"


# -- one check per module ---------------------------------------------------------------------------------------

def check_fastqc(run: Run) -> None:
    sample = first_sample(run)
    with zipfile.ZipFile(run.path(f"results/fastqc/{sample}_R1_fastqc.zip")) as archive:
        data = archive.read(f"{sample}_R1_fastqc/fastqc_data.txt").decode()
    total = int(re.search(r"Total Sequences\t(\d+)", data).group(1))
    with gzip.open(run.reads(sample), "rt") as handle:
        assert total == sum(1 for _ in handle) // 4
    assert "Sequence length\t75" in data


def check_fastp(run: Run) -> None:
    report = json.loads(run.path(f"results/fastp/{first_sample(run)}.fastp.json").read_text())
    before, after = report["summary"]["before_filtering"], report["summary"]["after_filtering"]
    assert before["total_reads"] > 1000 and after["total_reads"] >= 0.95 * before["total_reads"]
    with gzip.open(run.path(f"results/fastp/{first_sample(run)}_R1.fastq.gz"), "rt") as handle:
        assert sum(1 for _ in handle) // 4 * 2 == after["total_reads"]


def check_star_index(run: Run) -> None:
    index = run.path("resources/star_index")
    assert (index / "chrName.txt").read_text().split() == ["chr1", "chr2"]
    assert (index / "SA").stat().st_size > 0
    assert len((index / "exonInfo.tab").read_text().splitlines()) == 1 + 2 * syn.GENES  # the GTF's exons


def check_star_align(run: Run) -> None:
    bam = run.path("results/star_align/control_1/Aligned.sortedByCoord.out.bam")
    assert mapped_fraction(bam) > 0.95
    first = syn.genes()[0]
    region = f"{first.contig}:{first.exons[0][0]}-{first.exons[1][1]}"
    cigars = [line.split("\t")[5] for line in samtools("view", str(bam), region).splitlines()]
    assert sum("N" in c for c in cigars) > 10  # spliced alignments across the first gene's intron


def _gene_counts(run: Run) -> dict[str, list[float]]:
    rows = table(run.path("results/featurecounts/counts.tsv"))
    return {r["Geneid"]: [float(v) for k, v in r.items() if k.endswith(".bam")] for r in rows}


def check_featurecounts(run: Run) -> None:
    counts = _gene_counts(run)
    assert set(counts) == {g.gene_id for g in syn.genes()}
    assert all(min(v) > 40 for v in counts.values())  # every gene counted in every sample
    up = counts[syn.GENE_UP]
    assert sum(up[3:]) > 4 * sum(up[:3])  # columns: control_1..3, treated_1..3 (sample sheet order)


def _top_de_gene(run: Run, module: str) -> dict[str, str]:
    rows = table(run.path(f"results/{module}/de_results.tsv"))
    assert len(rows) == syn.GENES
    return rows[0]


def check_deseq2(run: Run) -> None:
    top = _top_de_gene(run, "deseq2")
    assert top["gene_id"] == syn.GENE_UP and float(top["log2FoldChange"]) > 2 and float(top["padj"]) < 1e-6


def check_edger(run: Run) -> None:
    top = _top_de_gene(run, "edger")
    assert top["gene_id"] == syn.GENE_UP and float(top["logFC"]) > 2 and float(top["FDR"]) < 1e-6


def check_multiqc(run: Run) -> None:
    html = run.path("results/multiqc/multiqc_report.html").read_text(errors="replace")
    assert first_sample(run) in html
    assert "fastqc" in html.lower()


def check_hisat2_index(run: Run) -> None:
    assert all(run.path(f"resources/hisat2_index/genome.{n}.ht2").stat().st_size > 0 for n in range(1, 9))


def check_hisat2_align(run: Run) -> None:
    summary = run.path("results/hisat2_align/control_1.summary.txt").read_text()
    assert float(re.search(r"([\d.]+)% overall alignment rate", summary).group(1)) > 95
    assert mapped_fraction(run.path("results/hisat2_align/control_1.bam")) > 0.95


def check_salmon_index(run: Run) -> None:
    info = json.loads(run.path("resources/salmon_index/versionInfo.json").read_text())
    assert info["indexVersion"] > 0
    assert (run.path("resources/salmon_index") / "pos.bin").stat().st_size > 0


def check_salmon_quant(run: Run) -> None:
    def reads(sample):
        return {r["Name"]: float(r["NumReads"]) for r in table(run.path(f"results/salmon_quant/{sample}/quant.sf"))}
    control, treated = reads("control_1"), reads("treated_1")
    up = syn.GENE_UP.replace("gene", "tx")
    assert all(v > 40 for v in control.values())
    assert treated[up] > 4 * control[up]


def check_reference_fasta(run: Run) -> None:
    copied = run.path("resources/reference/genome.fa").read_text()
    assert copied == run.reference("fasta").read_text()


def check_samtools_faidx(run: Run) -> None:
    rows = [line.split("\t")[:2] for line in run.path("resources/reference/genome.fa.fai").read_text().splitlines()]
    assert rows == [[name, str(length)] for name, length in syn.CONTIGS.items()]


def check_bwa_index(run: Run) -> None:
    ann = run.path("resources/bwa_index/genome.ann").read_text()
    assert "chr1" in ann and "chr2" in ann
    assert run.path("resources/bwa_index/genome.bwt").stat().st_size > 0


def check_bwa_mem(run: Run) -> None:
    bam = run.path("results/bwa_mem/sample_1.unsorted.bam")
    header = samtools("view", "-H", str(bam))
    assert re.search(r"@RG\tID:sample_1\tSM:sample_1", header)
    assert mapped_fraction(bam) > 0.97


def check_samtools_sort(run: Run) -> None:
    bam = run.path("results/samtools_sort/sample_1.bam")
    assert "SO:coordinate" in samtools("view", "-H", str(bam))
    counts = idxstats(bam)  # idxstats needs the .bai the rule wrote
    assert counts["chr1"] > counts["chr2"] > 1000  # reads follow contig length (30 kb vs 20 kb)


def check_samtools_markdup(run: Run) -> None:
    stats = run.path("results/samtools_markdup/sample_1.markdup.txt").read_text()
    assert int(re.search(r"READ: (\d+)", stats).group(1)) > 1000
    assert mapped_fraction(run.path("results/samtools_markdup/sample_1.bam")) > 0.97


def check_picard_markduplicates(run: Run) -> None:
    sample = first_sample(run)
    metrics = run.path(f"results/picard_markduplicates/{sample}.metrics.txt").read_text().splitlines()
    header = next(i for i, line in enumerate(metrics) if line.startswith("LIBRARY"))
    row = dict(zip(metrics[header].split("\t"), metrics[header + 1].split("\t"), strict=False))
    assert int(row["READ_PAIRS_EXAMINED"]) > 1000
    assert float(row["PERCENT_DUPLICATION"] or 0) < 0.5
    assert idxstats(run.path(f"results/picard_markduplicates/{sample}.bam"))["chr1"] > 1000


def check_bcftools_call(run: Run) -> None:
    genotypes = snv_genotypes(run.path("results/bcftools_call/cohort.vcf.gz"))
    assert genotypes == ["1/1", "1/1"]
    assert len(vcf_records(run.path("results/bcftools_call/cohort.vcf.gz"))) < 20  # few false positives


def check_bcftools_stats(run: Run) -> None:
    stats = run.path("results/bcftools_stats/cohort.stats.txt").read_text()
    assert int(re.search(r"SN\t0\tnumber of SNPs:\t(\d+)", stats).group(1)) >= 1


def check_freebayes(run: Run) -> None:
    genotypes = snv_genotypes(run.path("results/freebayes/cohort.vcf"))
    assert [g.replace("|", "/") for g in genotypes] == ["1/1", "1/1"]


def check_bowtie2_index(run: Run) -> None:
    assert all(run.path(f"resources/bowtie2_index/genome.{n}.bt2").stat().st_size > 0 for n in (1, 2, 3, 4))


def check_bowtie2_align(run: Run) -> None:
    summary = run.path("results/bowtie2_align/chip_1.bowtie2.log").read_text()
    assert float(re.search(r"([\d.]+)% overall alignment rate", summary).group(1)) > 95
    assert mapped_fraction(run.path("results/bowtie2_align/chip_1.unsorted.bam")) > 0.95


def check_macs3_callpeak(run: Run) -> None:
    peaks = [line.split("\t") for line in run.path("results/macs3_callpeak/chip_1/chip_1.peaks.bed").read_text()
             .splitlines()]
    assert peaks, "no peak called"
    best = max(peaks, key=lambda p: float(p[8]))  # narrowPeak column 9: -log10 q-value
    contig, summit = syn.PEAK
    assert best[0] == contig and int(best[1]) - 300 < summit < int(best[2]) + 300


def check_deeptools_bamcoverage(run: Run) -> None:
    script = ("import pyBigWig, sys; b = pyBigWig.open(sys.argv[1]); "
              "print(b.stats('chr1', 19800, 20200)[0], b.stats('chr1', 2000, 12000)[0])")
    try:
        out = subprocess.run(["/usr/bin/python3", "-c", script, str(run.path(
            "results/deeptools_bamcoverage/chip_1.bw"))], capture_output=True, text=True, check=True).stdout
    except (FileNotFoundError, subprocess.CalledProcessError) as exc:
        pytest.fail(f"cannot read the bigWig with Debian's python3-pybigwig: {exc}")
    peak, background = (float(x) for x in out.split())
    assert peak > 5 * background > 0


def check_cutadapt(run: Run) -> None:
    report = run.path("results/cutadapt/sample_1.cutadapt.txt").read_text()
    pairs = int(re.search(r"Total read pairs processed:\s+([\d,]+)", report).group(1).replace(",", ""))
    written = int(re.search(r"Pairs written \(passing filters\):\s+([\d,]+)", report).group(1).replace(",", ""))
    assert pairs > 1000 and written > 0.95 * pairs
    with gzip.open(run.path("results/cutadapt/sample_1_R2.fastq.gz"), "rt") as handle:
        assert sum(1 for _ in handle) // 4 == written


def check_trimmomatic(run: Run) -> None:
    summary = run.path("results/trimmomatic/sample_1.trimmomatic.log").read_text()
    found = re.search(r"Input Read Pairs: (\d+) Both Surviving: (\d+)", summary)
    assert found, summary[-500:]
    total, both = (int(x) for x in found.groups())
    assert total > 1000 and both > 0.9 * total
    with gzip.open(run.path("results/trimmomatic/sample_1_R1.fastq.gz"), "rt") as handle:
        assert sum(1 for _ in handle) // 4 == both


def check_sambamba_markdup(run: Run) -> None:
    marked = run.path("results/sambamba_markdup/chip_1.bam")
    assert "ID:sambamba" in samtools("view", "-H", str(marked))
    # duplicates are flagged, never dropped: the read count is the sorted BAM's
    assert samtools("view", "-c", str(marked)) == samtools("view", "-c", str(run.path(
        "results/samtools_sort/chip_1.bam")))
    assert idxstats(marked)["chr1"] > 1000


def check_samtools_stats(run: Run) -> None:
    stats = run.path(f"results/samtools_stats/{first_sample(run)}.stats.txt").read_text()
    total = int(re.search(r"SN\traw total sequences:\t(\d+)", stats).group(1))
    mapped = int(re.search(r"SN\treads mapped:\t(\d+)", stats).group(1))
    assert total > 1000 and mapped > 0.95 * total


def check_mosdepth(run: Run) -> None:
    rows = table(run.path("results/mosdepth/sample_1.mosdepth.summary.txt"))
    mean = {r["chrom"]: float(r["mean"]) for r in rows}
    assert 15 < mean["total"] < 30  # simulated at 25x, less the trimmed bases
    dist = [line.split("\t") for line in run.path("results/mosdepth/sample_1.mosdepth.global.dist.txt")
            .read_text().splitlines()]
    at_least_5x = next(float(f) for c, d, f in dist if c == "total" and d == "5")
    assert at_least_5x > 0.95


def check_macs3_atac(run: Run) -> None:
    peaks = [line.split("\t") for line in run.path("results/macs3_atac/chip_1/chip_1.peaks.bed").read_text()
             .splitlines()]
    assert peaks, "no peak called"
    best = max(peaks, key=lambda p: float(p[8]))
    contig, summit = syn.PEAK
    assert best[0] == contig and int(best[1]) - 300 < summit < int(best[2]) + 300


def check_delly_call(run: Run) -> None:
    contig, start, end = syn.DELETION
    found = []
    for fields in vcf_records(run.path("results/delly_call/cohort.sv.vcf.gz")):
        info = dict(item.split("=", 1) for item in fields[7].split(";") if "=" in item)
        if fields[0] == contig and info.get("SVTYPE") == "DEL":
            found.append((int(fields[1]), int(info["END"]), fields[9:]))
    assert found, "the planted deletion was not called"
    pos, stop, samples = min(found, key=lambda f: abs(f[0] - start) + abs(f[1] - end))
    assert abs(pos - start) < 50 and abs(stop - end) < 50, (pos, stop)
    assert all(s.split(":")[0] == "1/1" for s in samples)


def check_bcftools_consensus(run: Run) -> None:
    lines = run.path("results/bcftools_consensus/sample_1.consensus.fa").read_text().splitlines()
    assert all(line == ">sample_1" for line in lines if line.startswith(">"))
    consensus = "".join(line for line in lines if not line.startswith(">"))
    expected = "".join(syn.variant_genome().values())  # the reference with the planted SNV applied
    assert consensus == expected
    assert consensus != "".join(syn.genome().values())


CHECKS: dict[str, tuple[str, Callable[[Run], None]]] = {
    "macs3_atac": ("atacseq_default", check_macs3_atac),
    "delly_call": ("sv_delly", check_delly_call),
    "bcftools_consensus": ("viral_bcftools", check_bcftools_consensus),
    "cutadapt": ("germline_bcftools", check_cutadapt),
    "samtools_stats": ("germline_bcftools", check_samtools_stats),
    "mosdepth": ("germline_bcftools", check_mosdepth),
    "trimmomatic": ("germline_freebayes", check_trimmomatic),
    "sambamba_markdup": ("chipseq_bowtie2_macs", check_sambamba_markdup),
    "fastqc": ("rnaseq_star_deseq2", check_fastqc),
    "fastp": ("rnaseq_star_deseq2", check_fastp),
    "star_index": ("rnaseq_star_deseq2", check_star_index),
    "star_align": ("rnaseq_star_deseq2", check_star_align),
    "featurecounts": ("rnaseq_star_deseq2", check_featurecounts),
    "deseq2": ("rnaseq_star_deseq2", check_deseq2),
    "multiqc": ("rnaseq_star_deseq2", check_multiqc),
    "hisat2_index": ("rnaseq_hisat2_edger", check_hisat2_index),
    "hisat2_align": ("rnaseq_hisat2_edger", check_hisat2_align),
    "edger": ("rnaseq_hisat2_edger", check_edger),
    "salmon_index": ("rnaseq_salmon_deseq2", check_salmon_index),
    "salmon_quant": ("rnaseq_salmon_deseq2", check_salmon_quant),
    "reference_fasta": ("germline_bcftools", check_reference_fasta),
    "samtools_faidx": ("germline_bcftools", check_samtools_faidx),
    "bwa_index": ("germline_bcftools", check_bwa_index),
    "bwa_mem": ("germline_bcftools", check_bwa_mem),
    "samtools_sort": ("germline_bcftools", check_samtools_sort),
    "samtools_markdup": ("germline_bcftools", check_samtools_markdup),
    "bcftools_call": ("germline_bcftools", check_bcftools_call),
    "bcftools_stats": ("germline_bcftools", check_bcftools_stats),
    "freebayes": ("germline_freebayes", check_freebayes),
    "picard_markduplicates": ("germline_freebayes", check_picard_markduplicates),
    "bowtie2_index": ("chipseq_bowtie2_macs", check_bowtie2_index),
    "bowtie2_align": ("chipseq_bowtie2_macs", check_bowtie2_align),
    "macs3_callpeak": ("chipseq_bowtie2_macs", check_macs3_callpeak),
    "deeptools_bamcoverage": ("chipseq_bowtie2_macs", check_deeptools_bamcoverage),
}


@pytest.mark.parametrize("module", sorted(CHECKS))
def test_module_output_content(runs, module):
    runs.check(CHECKS, module)


# -- end to end: the generated workflows recover the planted truth -----------------------------------------------

def test_rnaseq_de_workflow_recovers_the_planted_de_gene(runs):
    run = runs("rnaseq_star_deseq2")
    check_deseq2(run)
    others = table(run.path("results/deseq2/de_results.tsv"))[1:]
    assert all(float(r["padj"]) > 0.01 for r in others if r["padj"] != "NA")  # nothing else is called DE


def test_germline_workflow_calls_the_planted_snv_in_every_sample(runs):
    check_bcftools_call(runs("germline_bcftools"))
