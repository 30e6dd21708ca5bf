"""Long-read variant calling and genome assembly modules run for real (see test_modules_run.py for the pattern):
each workflow is planned and rendered by the library, run by Snakemake with the Debian tools on PATH on synthetic
data with a planted truth, and each module's output content is checked.

- long-read variants: ~25x simulated Nanopore-like reads (5-10 kb, 5% errors) of the shared genome carrying a
  homozygous 1 kb deletion and an SNV: minimap2 maps them, Sniffles2 and cuteSV call the deletion where it was
  planted. Clair3 and Longshot have no Debian package, so the small-variant step is left out here.
- assembly: a 50 kb toy bacterium with five planted genes: SPAdes and Unicycler rebuild it from Illumina-like
  reads, Racon polishes an error-laden draft of it with long reads, and Prokka annotates the planted genes by name
  from a small protein database standing in for the UniProt set Debian cannot ship. Debian's Flye cannot run (its
  consensus stage needs upstream Flye's own minimap2 fork), so the long-read assembly workflow runs with Flye's
  output seeded: a draft made from the truth with ~2% errors, which Racon must correct.
"""

from __future__ import annotations

import gzip
import re
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from biopipelines.core.schemas import Entities
from tests.modules import synthetic as syn
from tests.modules import synthetic_longread_assembly as lra
from tests.modules.harness import Run, RunOnce, configure, execute, render, skip_unless_installed

NO_SMALL_VARIANTS = "step:small_variants"  # Clair3 / Longshot: not in Debian
ASSEMBLY_QC_OFF = ["quast", "busco"]  # QUAST: not in Debian; BUSCO: needs a downloaded lineage dataset

# name -> (recipe, entities, data kind, extra config)
WORKFLOWS: dict[str, tuple[str, Entities, str, dict]] = {
    "longread_sniffles": ("longread_variants", Entities(tools_excluded=[NO_SMALL_VARIANTS]), "ont_variants", {}),
    "longread_cutesv": ("longread_variants", Entities(
        tools_requested=["cutesv"], tools_excluded=[NO_SMALL_VARIANTS, "step:read_qc", "step:filtering",
                                                    "step:alignment_qc", "step:coverage", "step:report"]),
        "ont_variants", {"cutesv": {"min_support": 5}}),
    "assembly_spades_prokka": ("genome_assembly", Entities(tools_excluded=ASSEMBLY_QC_OFF), "illumina_assembly",
                               {}),
    "assembly_unicycler": ("genome_assembly", Entities(
        tools_requested=["unicycler"], tools_excluded=[*ASSEMBLY_QC_OFF, "step:trimming", "step:read_qc",
                                                       "step:annotation", "step:report"]), "illumina_assembly",
        {"unicycler": {"extra": "--min_fasta_length 200 --kmers 27,53,77"}}),  # 3 SPAdes rounds instead of 10
    "longread_assembly_racon": ("longread_assembly", Entities(
        tools_excluded=[*ASSEMBLY_QC_OFF, "step:read_qc", "step:filtering", "step:annotation", "step:report"]),
        "ont_assembly", {}),
}
# outputs of modules Debian cannot run, written before the run (newer than their inputs, so Snakemake keeps them)
SEEDED = {"longread_assembly_racon": {"flye": "results/flye/isolate_1/assembly.fasta"}}


def _data(kind: str, folder: Path) -> tuple[dict, list[dict]]:
    if kind == "ont_variants":
        return syn.write_reference(folder / "reference"), lra.variant_long_reads(folder / "reads")
    if kind == "ont_assembly":
        return {}, lra.bacterium_long_reads(folder / "reads")
    return {}, lra.bacterium_short_reads(folder / "reads")


@pytest.fixture(scope="session")
def runs(tmp_path_factory):
    """Each workflow run at most once per session, on first use."""
    def build(name: str) -> Run:
        recipe, entities, kind, extra = WORKFLOWS[name]
        root = tmp_path_factory.mktemp(name)
        modules = render(root, recipe, entities)
        seeded = SEEDED.get(name, {})
        skip_unless_installed(name, [m for m in modules if m not in seeded])
        folder = tmp_path_factory.mktemp(f"{name}_data")
        reference, rows = _data(kind, folder)
        if "prokka" in modules:
            dbdir = lra.write_prokka_db(folder / "prokka_db")
            extra = {**extra, "prokka": {"extra": f"--centre X --compliant --dbdir {dbdir}"}}
        config = configure(root, reference, rows, extra)
        for path in seeded.values():
            syn.write_fasta(root / path, {"contig_1": lra.draft_bacterium()})
        return execute(root, modules, config)

    return RunOnce(build)


# -- content helpers ---------------------------------------------------------------------------------------------

def samtools(*args: str) -> str:
    return subprocess.run(["samtools", *args], capture_output=True, text=True, check=True).stdout


def fasta(path: Path) -> dict[str, str]:
    seqs: dict[str, list[str]] = {}
    name = ""
    for line in path.read_text().splitlines():
        if line.startswith(">"):
            name = line[1:].split()[0]
            seqs[name] = []
        elif line.strip():
            seqs[name].append(line.strip())
    return {k: "".join(v) for k, v in seqs.items()}


def identity_to_bacterium(contigs: Path, tmp: Path) -> tuple[float, int]:
    """(matching bases / aligned length over all contigs, bases of the truth covered) from minimap2's PAF."""
    truth = lra.write_bacterium(tmp)
    paf = subprocess.run(["minimap2", "-c", "-x", "asm5", str(truth), str(contigs)], capture_output=True,
                         text=True, check=True).stdout
    rows = [line.split("\t") for line in paf.splitlines()]
    primary = [r for r in rows if "tp:A:P" in r]
    matches = sum(int(r[9]) for r in primary)
    block = sum(int(r[10]) for r in primary)
    covered = sum(int(r[8]) - int(r[7]) for r in primary)
    return matches / max(1, block), covered


def vcf_records(path: Path) -> list[list[str]]:
    opener = gzip.open if str(path).endswith(".gz") else open
    with opener(path, "rt") as handle:
        return [line.rstrip("\n").split("\t") for line in handle if not line.startswith("#")]


def planted_deletion_call(path: Path) -> tuple[int, int, str]:
    """(POS, END, GT) of the DEL call closest to the planted deletion; fails when none is called on its contig."""
    contig, start, end = syn.DELETION
    found = []
    for fields in vcf_records(path):
        info = dict(item.split("=", 1) for item in fields[7].split(";") if "=" in item)
        if fields[0] == contig and info.get("SVTYPE") == "DEL":
            stop = int(info["END"]) if "END" in info else int(fields[1]) + abs(int(info["SVLEN"]))
            found.append((int(fields[1]), stop, fields[9].split(":")[0] if len(fields) > 9 else ""))
    assert found, f"the planted deletion was not called: {vcf_records(path)}"
    return min(found, key=lambda f: abs(f[0] - start) + abs(f[1] - end))


# -- long-read variant modules ----------------------------------------------------------------------------------

def check_nanostat(run: Run) -> None:
    report = run.path("results/nanostat/sample_1.nanostat.txt").read_text()
    reads, _ = lra.count_fastq(run.reads("sample_1"))
    assert int(re.search(r"Number of reads:\s+([\d,.]+)", report).group(1).replace(",", "").split(".")[0]) == reads
    n50 = float(re.search(r"Read length N50:\s+([\d,.]+)", report).group(1).replace(",", ""))
    assert 5_000 <= n50 <= 11_000  # simulated 5-10 kb reads, ~5% longer or shorter from indel errors


def check_filtlong(run: Run) -> None:
    before, _ = lra.count_fastq(run.reads("sample_1"))
    after, lengths = lra.count_fastq(run.path("results/filtlong/sample_1.fastq.gz"))
    assert 0.8 * before <= after < before  # --keep_percent 95 of the bases: the worst reads go
    assert min(lengths) >= 1_000


def check_minimap2_align(run: Run) -> None:
    bam = run.path("results/minimap2_align/sample_1.unsorted.bam")
    assert re.search(r"@RG\tID:sample_1\tSM:sample_1\tLB:sample_1\tPL:ONT", samtools("view", "-H", str(bam)))
    flagstat = samtools("flagstat", str(bam))
    primary = int(re.search(r"(\d+) \+ \d+ primary$", flagstat, re.M).group(1))
    mapped = int(re.search(r"(\d+) \+ \d+ primary mapped", flagstat).group(1))
    assert primary > 50 and mapped > 0.97 * primary
    # reads spanning the planted deletion are split around it: no alignment covers its middle
    sorted_bam = run.path("results/samtools_sort/sample_1.bam")
    contig, start, end = syn.DELETION
    middle = (start + end) // 2
    depth = samtools("depth", "-a", "-r", f"{contig}:{middle}-{middle}", str(sorted_bam)).split()
    flank = samtools("depth", "-a", "-r", f"{contig}:{start - 2000}-{start - 2000}", str(sorted_bam)).split()
    assert int(depth[2]) <= 1 and int(flank[2]) >= 10


def check_sniffles(run: Run) -> None:
    pos, stop, genotype = planted_deletion_call(run.path("results/sniffles/sample_1.sv.vcf"))
    contig, start, end = syn.DELETION
    assert abs(pos - start) < 50 and abs(stop - end) < 50, (pos, stop)
    assert genotype == "1/1"


def check_cutesv(run: Run) -> None:
    pos, stop, genotype = planted_deletion_call(run.path("results/cutesv/sample_1.sv.vcf"))
    contig, start, end = syn.DELETION
    assert abs(pos - start) < 50 and abs(stop - end) < 50, (pos, stop)
    assert genotype == "1/1"


# -- assembly modules --------------------------------------------------------------------------------------------

def _check_short_read_assembly(run: Run, path: str) -> None:
    contigs = fasta(run.path(path))
    lengths = sorted((len(s) for s in contigs.values()), reverse=True)
    assert 0.95 * lra.BACTERIUM_LENGTH <= sum(lengths) <= 1.05 * lra.BACTERIUM_LENGTH, lengths
    assert lengths[0] >= 0.5 * lra.BACTERIUM_LENGTH, lengths  # random sequence: few or no repeats to break it
    identity, covered = identity_to_bacterium(run.path(path), run.root)
    assert identity > 0.999 and covered > 0.97 * lra.BACTERIUM_LENGTH, (identity, covered)


def check_spades(run: Run) -> None:
    _check_short_read_assembly(run, "results/spades/isolate_1/contigs.fasta")


def check_unicycler(run: Run) -> None:
    _check_short_read_assembly(run, "results/unicycler/isolate_1/assembly.fasta")


def check_prokka(run: Run) -> None:
    gff = run.path("results/prokka/isolate_1/isolate_1.gff").read_text()
    regions = re.findall(r"^##sequence-region (\S+) 1 (\d+)$", gff, re.M)
    assembly = fasta(run.path("results/spades/isolate_1/contigs.fasta"))
    assert sorted(int(n) for _, n in regions) == sorted(len(s) for s in assembly.values() if len(s) >= 200)
    cds = [line.split("\t") for line in gff.splitlines() if "\tCDS\t" in line]
    named = {int(m.group(1)) for f in cds for m in [re.search(rf"product={lra.GENE_PRODUCT} (\d+)", f[8])] if m}
    assert named == set(range(1, lra.PLANTED_GENES + 1)), named  # every planted gene found and named
    for f in cds:
        if lra.GENE_PRODUCT in f[8]:
            number = int(re.search(rf"product={lra.GENE_PRODUCT} (\d+)", f[8]).group(1))
            assert int(f[4]) - int(f[3]) + 1 == len(lra.bacterium()[1][number - 1])  # the whole ORF, start to stop
    summary = run.path("results/prokka/isolate_1/isolate_1.txt").read_text()
    assert int(re.search(r"^CDS: (\d+)", summary, re.M).group(1)) == len(cds) >= lra.PLANTED_GENES


def check_racon(run: Run) -> None:
    polished = run.path("results/racon/isolate_1.polished.fasta")
    draft = run.path("results/flye/isolate_1/assembly.fasta")
    assert len(fasta(polished)) == len(fasta(draft))
    after, covered = identity_to_bacterium(polished, run.root)
    before, _ = identity_to_bacterium(draft, run.root)
    assert before < 0.985 and after > 0.995, (before, after)  # most of the draft's ~2% errors corrected
    assert covered > 0.9 * lra.BACTERIUM_LENGTH


CHECKS: dict[str, tuple[str, Callable[[Run], None]]] = {
    "nanostat": ("longread_sniffles", check_nanostat),
    "filtlong": ("longread_sniffles", check_filtlong),
    "minimap2_align": ("longread_sniffles", check_minimap2_align),
    "sniffles": ("longread_sniffles", check_sniffles),
    "cutesv": ("longread_cutesv", check_cutesv),
    "spades": ("assembly_spades_prokka", check_spades),
    "prokka": ("assembly_spades_prokka", check_prokka),
    "unicycler": ("assembly_unicycler", check_unicycler),
    "racon": ("longread_assembly_racon", check_racon),
}


@pytest.mark.parametrize("module", sorted(CHECKS))
def test_module_output_content(runs, module):
    runs.check(CHECKS, module)


def test_multiqc_reports_the_long_read_qc(runs):
    """The long-read workflow's MultiQC report includes NanoStat and the alignment QC of the sample."""
    html = runs("longread_sniffles").path("results/multiqc/multiqc_report.html").read_text(errors="replace")
    assert "sample_1" in html and "nanostat" in html.lower()
