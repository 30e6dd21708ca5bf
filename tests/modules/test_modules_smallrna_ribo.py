"""Execution tests of the small RNA-seq and Ribo-seq modules: the recipes are planned and rendered by the library,
run by Snakemake with the Debian tools on PATH (no conda) on synthetic data with a planted truth
(tests/modules/synthetic_smallrna_ribo.py), and each module's output content is checked.

- small RNA-seq: adapter-ligated mature miRNAs; the Bowtie index keeps the human entries only, reads land on the
  miRNA they were made from (let-7a and let-7c one base apart stay apart), idxstats counts match the reads made,
  and the planted miRNA (8x in treated) tops the DESeq2 table;
- Ribo-seq: footprints with planted 3-nt periodicity and P-site offsets in the CDSs of a toy genome (genes on both
  strands, CDSs across a splice junction) plus rRNA fragments: rRNA reads are removed, the periodicity module finds
  the planted offsets and frame-0 share, and featureCounts counts footprints on every CDS.
"""

from __future__ import annotations

import gzip
import subprocess
from collections import Counter
from collections.abc import Callable

import pytest

from biopipelines.core.schemas import Entities
from tests.modules import synthetic_smallrna_ribo as srr
from tests.modules.harness import Run, RunOnce, configure, execute, render, skip_unless_installed

# name -> (recipe, entities, synthetic data kind)
WORKFLOWS: dict[str, tuple[str, Entities, str]] = {
    # miRTrace and ribotricer are not packaged in Debian: their optional steps are left out here (they are linted
    # and dry-run by tests/unit/test_library.py)
    "smallrna_bowtie_deseq2": ("small_rnaseq", Entities(organism="human", tools_excluded=["mirtrace"]), "smallrna"),
    "riboseq_star_deseq2": ("riboseq", Entities(strandedness="forward", tools_excluded=["step:orfs"]), "ribo"),
}
TRUTH: dict[str, dict] = {}


def _data(kind: str, folder):
    if kind == "smallrna":
        reference = srr.smallrna_reference(folder / "reference")
        rows, truth = srr.smallrna_reads(folder / "reads")
    else:
        reference = srr.ribo_reference(folder / "reference")
        rows, truth = srr.ribo_reads(folder / "reads")
    return reference, rows, truth


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """Each workflow run at most once per module, on first use."""
    def build(name: str) -> Run:
        recipe, entities, kind = WORKFLOWS[name]
        root = tmp_path_factory.mktemp(name)
        modules = render(root, recipe, entities)
        skip_unless_installed(name, modules)
        reference, rows, truth = _data(kind, tmp_path_factory.mktemp(f"{name}_data"))
        TRUTH[name] = truth
        config = configure(root, reference, rows)
        return execute(root, modules, config)

    return RunOnce(build)


def samtools(*args: str) -> str:
    return subprocess.run(["samtools", *args], capture_output=True, text=True, check=True).stdout


def table(path) -> list[dict[str, str]]:
    lines = [line for line in path.read_text().splitlines() if not line.startswith("#")]
    header = lines[0].split("\t")
    return [dict(zip(header, line.split("\t"), strict=False)) for line in lines[1:]]


def fastq_count(path) -> int:
    with gzip.open(path, "rt") as handle:
        return sum(1 for _ in handle) // 4


def fastq_seqs(path) -> list[str]:
    with gzip.open(path, "rt") as handle:
        return [line.strip() for n, line in enumerate(handle) if n % 4 == 1]


# -- small RNA-seq -----------------------------------------------------------------------------------------------

def check_bowtie_index(run: Run) -> None:
    index = run.path("resources/bowtie_index")
    names = [line[1:].strip() for line in (index / "mature.fa").read_text().splitlines() if line.startswith(">")]
    assert sorted(names) == sorted(srr.mirnas())  # human entries only, headers cut to the name
    assert "U" not in (index / "mature.fa").read_text().replace(">", "").upper().split("\n", 1)[1]
    assert (index / "mature.1.ebwt").stat().st_size > 0 and (index / "mature.rev.1.ebwt").stat().st_size > 0
    assert set(samtools("view", "-H", str(run.path("results/samtools_sort/control_1.bam"))).split()) >= {
        f"SN:{name}" for name in srr.mirnas()}


def check_bowtie_align(run: Run) -> None:
    summary = run.path("results/bowtie_align/control_1.bowtie.log").read_text()
    processed = int(summary.split("# reads processed: ")[1].split()[0])
    aligned = int(summary.split("# reads with at least one alignment: ")[1].split()[0])
    made = sum(TRUTH["smallrna_bowtie_deseq2"]["control_1"].values())
    assert processed == fastq_count(run.path("results/cutadapt/control_1_R1.fastq.gz"))
    assert processed < made + 200 + 10  # adapter dimers were dropped by the length filter
    assert 0.97 * made <= aligned <= made  # the miRNA reads align, the other 22-mers do not
    bam = str(run.path("results/samtools_sort/control_1.bam"))
    assert samtools("view", "-c", "-f", "16", bam).strip() == "0"  # sense strand only
    # let-7a and let-7c differ at one base: every read made from each lands on its own miRNA
    for name in (srr.LET7A, srr.LET7C):
        seqs = Counter(line.split("\t")[9] for line in samtools("view", bam, name).splitlines())
        own = srr.mirnas()[name]
        assert seqs and all(own.startswith(seq) for seq in seqs), (name, seqs.most_common(3))


def _idx(run: Run, sample: str) -> dict[str, int]:
    rows = run.path(f"results/samtools_idxstats/{sample}.idxstats.tsv").read_text().splitlines()
    return {r.split("\t")[0]: int(r.split("\t")[2]) for r in rows if not r.startswith("*")}


def check_samtools_idxstats(run: Run) -> None:
    truth = TRUTH["smallrna_bowtie_deseq2"]
    for sample in ("control_1", "treated_1"):
        counts = _idx(run, sample)
        assert set(counts) == set(srr.mirnas())
        for name, made in truth[sample].items():
            assert 0.95 * made <= counts[name] <= made, (sample, name, counts[name], made)
    assert _idx(run, "treated_1")[srr.MIR_UP] > 4 * _idx(run, "control_1")[srr.MIR_UP]


def check_mirna_counts(run: Run) -> None:
    rows = table(run.path("results/mirna_counts/mirna_counts.tsv"))
    samples = [f"{c}_{r}" for c in ("control", "treated") for r in (1, 2, 3)]
    assert list(rows[0]) == ["Geneid", "Chr", "Start", "End", "Strand", "Length", *samples]
    matrix = {r["Geneid"]: [int(r[s]) for s in samples] for r in rows}
    assert set(matrix) == set(srr.mirnas())
    for index, sample in enumerate(samples):
        assert {name: values[index] for name, values in matrix.items()} == _idx(run, sample)
    up = matrix[srr.MIR_UP]
    assert sum(up[3:]) > 4 * sum(up[:3])
    summary = table(run.path("results/mirna_counts/mirna_counts_mqc.tsv"))
    assert [r["Sample"] for r in summary] == samples
    assert int(summary[0]["miRNA reads"]) == sum(v[0] for v in matrix.values())


def test_small_rnaseq_workflow_finds_the_planted_mirna(runs):
    run = runs("smallrna_bowtie_deseq2")
    rows = table(run.path("results/deseq2/de_results.tsv"))
    top = rows[0]
    assert top["gene_id"] == srr.MIR_UP and float(top["log2FoldChange"]) > 2 and float(top["padj"]) < 1e-6
    assert all(float(r["padj"]) > 0.01 for r in rows[1:] if r["padj"] != "NA")
    html = run.path("results/multiqc/multiqc_report.html").read_text(errors="replace")
    assert "miRNAs detected" in html  # the count step's custom-content table reached the report


# -- Ribo-seq ----------------------------------------------------------------------------------------------------

def check_bowtie2_rrna_index(run: Run) -> None:
    index = run.path("resources/bowtie2_rrna_index")
    assert (index / "rrna.1.bt2").stat().st_size > 0 and (index / "rrna.rev.1.bt2").stat().st_size > 0


def check_bowtie2_rrna_filter(run: Run) -> None:
    sample = "control_1"
    made = TRUTH["riboseq_star_deseq2"][sample]
    trimmed = fastq_count(run.path(f"results/cutadapt/{sample}_R1.fastq.gz"))
    kept = fastq_seqs(run.path(f"results/bowtie2_rrna_filter/{sample}_R1.fastq.gz"))
    assert abs((trimmed - len(kept)) - made) <= 0.02 * made  # the rRNA reads, and only those, removed
    rrna_kmers = {seq[i:i + 20] for seq in srr.rrna().values() for i in range(len(seq) - 19)}
    assert sum(read[:20] in rrna_kmers for read in kept) <= 0.01 * len(kept)
    summary = run.path(f"results/bowtie2_rrna_filter/{sample}.rrna.bowtie2.log").read_text()
    rate = float(summary.split("% overall alignment rate")[0].split()[-1])
    assert abs(rate - 100 * srr.RRNA_SHARE) < 3


def _frames(run: Run, sample: str) -> dict[str, dict[str, str]]:
    return {r["read_length"]: r for r in table(run.path(f"results/riboseq_periodicity/{sample}.frames.tsv"))}


def check_riboseq_periodicity(run: Run) -> None:
    for sample in ("control_1", "treated_2"):
        frames = _frames(run, sample)
        for length, offset in srr.OFFSETS.items():
            assert int(frames[str(length)]["psite_offset"]) == offset, (sample, length, frames[str(length)])
            assert float(frames[str(length)]["frame0_fraction"]) > 0.75
        overall = frames["all"]
        # planted: 80% of P-sites in frame 0 (plus the initiating ribosomes, all in frame 0)
        assert 0.78 < float(overall["frame0_fraction"]) < 0.88
        assert int(overall["frame1"]) > 0.05 * int(overall["reads_in_cds"])
        # P-sites of footprints from minus-strand genes and from spliced footprints are placed too
        mapped = int(samtools("view", "-c", "-F", "0x904",
                              str(run.path(f"results/star_align/{sample}/Aligned.sortedByCoord.out.bam"))))
        assert int(overall["reads_in_cds"]) > 0.97 * mapped
    metagene = table(run.path("results/riboseq_periodicity/control_1.start_metagene.tsv"))
    peak = max(metagene, key=lambda r: int(r["len29"]))
    assert peak["position"] == "-12"
    qc = table(run.path("results/riboseq_periodicity/control_1.periodicity_mqc.tsv"))[0]
    assert qc["Sample"] == "control_1" and float(qc["Frame 0 fraction"]) > 0.75


def test_riboseq_workflow_counts_footprints_per_cds(runs):
    run = runs("riboseq_star_deseq2")
    rows = table(run.path("results/featurecounts/counts.tsv"))
    counts = {r["Geneid"]: [int(v) for k, v in r.items() if k.endswith(".bam")] for r in rows}
    assert len(counts) == len(srr.coding_genes())
    assert all(min(v) > 30 for v in counts.values())  # every CDS, both strands, counted in every sample
    up = counts[srr.RIBO_GENE_UP]
    assert sum(up[3:]) > 4 * sum(up[:3])
    top = table(run.path("results/deseq2/de_results.tsv"))[0]
    assert top["gene_id"] == srr.RIBO_GENE_UP and float(top["log2FoldChange"]) > 2
    html = run.path("results/multiqc/multiqc_report.html").read_text(errors="replace")
    assert "Frame 0 fraction" in html  # the periodicity table reached the report


CHECKS: dict[str, tuple[str, Callable[[Run], None]]] = {
    "bowtie_index": ("smallrna_bowtie_deseq2", check_bowtie_index),
    "bowtie_align": ("smallrna_bowtie_deseq2", check_bowtie_align),
    "samtools_idxstats": ("smallrna_bowtie_deseq2", check_samtools_idxstats),
    "mirna_counts": ("smallrna_bowtie_deseq2", check_mirna_counts),
    "bowtie2_rrna_index": ("riboseq_star_deseq2", check_bowtie2_rrna_index),
    "bowtie2_rrna_filter": ("riboseq_star_deseq2", check_bowtie2_rrna_filter),
    "riboseq_periodicity": ("riboseq_star_deseq2", check_riboseq_periodicity),
}


@pytest.mark.parametrize("module", sorted(CHECKS))
def test_module_output_content(runs, module):
    runs.check(CHECKS, module)
