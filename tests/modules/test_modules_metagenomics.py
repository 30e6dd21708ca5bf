"""Shotgun taxonomic profiling and amplicon ASV workflows run for real (Debian tools on PATH, no conda) on
synthetic data with a planted truth (tests/modules/synthetic_metagenomics.py):

- profiling: host reads are removed, Kraken2 (real database built by kraken2-build from toy genomes) assigns the
  reads to the two planted species in the planted 80/20 and 20/80 proportions, and the combined table agrees;
- amplicons (VSEARCH route and DADA2): the ASVs are exactly the four planted variants, the planted chimera is
  removed, per-sample counts follow the planted proportions, and SINTAX gives each ASV its planted taxonomy.

Bracken, Krona and MetaPhlAn are not packaged in Debian 12 (or need a database download) and are left out.
"""

from __future__ import annotations

import gzip
import re
from collections.abc import Callable

import pytest

from biopipelines.core.schemas import Entities
from tests.modules import synthetic_metagenomics as syn
from tests.modules.harness import Run, RunOnce, configure, execute, render, skip_unless_installed

# name -> (recipe, entities, synthetic data kind)
WORKFLOWS: dict[str, tuple[str, Entities, str]] = {
    "profiling_kraken2": ("metagenomic_profiling", Entities(tools_excluded=["bracken", "krona", "step:trimming"]),
                          "shotgun"),
    "amplicon_vsearch": ("amplicon_16s", Entities(), "amplicon"),
    "amplicon_dada2": ("amplicon_16s", Entities(tools_requested=["dada2"], tools_excluded=["fastqc"]), "amplicon"),
}


def _data(kind: str, folder):
    if kind == "shotgun":
        return syn.write_profiling_reference(folder / "reference"), syn.profiling_reads(folder / "reads")
    return syn.write_sintax_db(folder / "reference"), syn.amplicon_reads(folder / "reads")


@pytest.fixture(scope="session")
def metagenomics_runs(tmp_path_factory):
    """Each workflow run at most once per session, on first use."""
    def build(name: str) -> Run:
        recipe, entities, kind = WORKFLOWS[name]
        root = tmp_path_factory.mktemp(name)
        modules = render(root, recipe, entities)
        skip_unless_installed(name, modules, also=("kraken2-build",) if kind == "shotgun" else ())  # builds the DB
        reference, rows = _data(kind, tmp_path_factory.mktemp(f"{name}_data"))
        config = configure(root, reference, rows)
        return execute(root, modules, config)

    return RunOnce(build)


# -- content helpers ---------------------------------------------------------------------------------------------

def fastq_names(path) -> list[str]:
    with gzip.open(path, "rt") as handle:
        return [line[1:].split()[0] for number, line in enumerate(handle) if number % 4 == 0]


def kraken_report(path) -> dict[str, tuple[int, str]]:
    """{taxid: (clade reads, rank code)}"""
    rows = {}
    for line in path.read_text().splitlines():
        fields = line.split("\t")
        rows[fields[4].strip()] = (int(fields[1]), fields[3].strip())
    return rows


def tsv(path) -> list[dict[str, str]]:
    lines = path.read_text().splitlines()
    header = lines[0].split("\t")
    return [dict(zip(header, line.split("\t"), strict=False)) for line in lines[1:]]


def fasta(path) -> dict[str, str]:
    records, name = {}, None
    for line in path.read_text().splitlines():
        if line.startswith(">"):
            name = line[1:].split(";")[0]
            records[name] = ""
        elif name is not None:
            records[name] += line.strip()
    return records


def planted_asvs(asvs: dict[str, str]) -> dict[str, str]:
    """{planted variant: ASV id} for the ASVs whose sequence is exactly a planted variant."""
    by_sequence = {seq: asv for asv, seq in asvs.items()}
    return {name: by_sequence[seq] for name, seq in syn.variants().items() if seq in by_sequence}


def check_asv_table(run: Run, asv_path: str, table_path: str, id_column: str) -> None:
    asvs = fasta(run.path(asv_path))
    planted = planted_asvs(asvs)
    assert set(planted) == set(syn.ABUNDANCE), f"planted variants not recovered exactly: {sorted(planted)}"
    assert syn.chimera() not in asvs.values(), "the planted chimera survived"
    assert len(asvs) <= len(syn.ABUNDANCE) + 1, f"{len(asvs)} ASVs for 4 planted variants"
    rows = {row[id_column]: row for row in tsv(run.path(table_path))}
    for sample in syn.AMPLICON_SAMPLES:
        counts = {name: float(rows[asv][sample]) for name, asv in planted.items()}
        total = sum(counts.values())
        assert total > 0.7 * syn.AMPLICON_PAIRS, (sample, total)
        for name, share in syn.expected_shares(sample).items():
            assert abs(counts[name] / total - share) < 0.03, (sample, name, counts[name] / total, share)


# -- one check per module ---------------------------------------------------------------------------------------

def check_bowtie2_host_index(run: Run) -> None:
    assert all(run.path(f"resources/bowtie2_host_index/host.{n}.bt2").stat().st_size > 0 for n in (1, 2, 3, 4))


def check_host_filter_bowtie2(run: Run) -> None:
    for sample in syn.MIXTURE:
        summary = run.path(f"results/host_filter_bowtie2/{sample}.bowtie2.log").read_text()
        total = syn.MICROBIAL_PAIRS + syn.HOST_PAIRS
        assert int(re.search(r"(\d+) reads; of these", summary).group(1)) == total
        names = {n.split("/")[0] for n in fastq_names(run.path(f"results/host_filter_bowtie2/{sample}_R1.fastq.gz"))}
        assert fastq_names(run.path(f"results/host_filter_bowtie2/{sample}_R2.fastq.gz"))  # mate 2 written too
        host_left = sum(n.startswith("host_") for n in names)
        microbial = sum(n.startswith("mic") for n in names)
        assert host_left < 0.01 * syn.HOST_PAIRS, f"{host_left} host pairs left in {sample}"
        assert microbial > 0.99 * syn.MICROBIAL_PAIRS, f"only {microbial} microbial pairs kept in {sample}"


def check_kraken2(run: Run) -> None:
    for sample, mixture in syn.MIXTURE.items():
        report = kraken_report(run.path(f"results/kraken2/{sample}.kreport"))
        major, minor = report[str(syn.MAJOR)][0], report[str(syn.MINOR)][0]
        assert report[str(syn.MAJOR)][1] == "S" and report[str(syn.MINOR)][1] == "S"
        assert abs(major / (major + minor) - mixture[syn.MAJOR]) < 0.03, (sample, major, minor)
        assert major + minor > 0.95 * syn.MICROBIAL_PAIRS  # host reads were removed, microbial ones classified
        assert report.get(str(syn.DECOY), (0, "S"))[0] < 0.01 * syn.MICROBIAL_PAIRS  # absent species stays absent
        unclassified = report.get("0", (0, "U"))[0]
        assert unclassified < 0.02 * syn.MICROBIAL_PAIRS  # few unclassified pairs
        with gzip.open(run.path(f"results/kraken2/{sample}.kraken2.out.gz"), "rt") as handle:
            lines = [line.split("\t") for line in handle]
        assert len(lines) == report["1"][0] + unclassified  # one line per host-filtered pair
        by_read = {fields[1].split("/")[0]: fields[2] for fields in lines}
        wrong = sum(1 for name, taxid in by_read.items()
                    if taxid not in ("0", "1", "2", "100", "200") and not name.startswith(f"mic{taxid}_"))
        assert wrong < 0.01 * len(by_read), f"{wrong} reads assigned to a species they do not come from"


def check_kraken2_combine(run: Run) -> None:
    counts = {row["taxid"]: row for row in tsv(run.path("results/kraken2_combine/taxon_counts.tsv"))}
    relative = {row["taxid"]: row for row in tsv(run.path("results/kraken2_combine/taxon_relative_abundance.tsv"))}
    assert list(counts)[:2] in ([str(syn.MAJOR), str(syn.MINOR)], [str(syn.MINOR), str(syn.MAJOR)])
    assert counts[str(syn.MAJOR)]["name"] == "Alphagenus primus"
    for sample, mixture in syn.MIXTURE.items():
        report = kraken_report(run.path(f"results/kraken2/{sample}.kreport"))
        assert float(counts[str(syn.MAJOR)][sample]) == report[str(syn.MAJOR)][0]
        assert abs(float(relative[str(syn.MAJOR)][sample]) - 100 * mixture[syn.MAJOR]) < 3
        assert abs(float(relative[str(syn.MINOR)][sample]) - 100 * mixture[syn.MINOR]) < 3


def check_cutadapt_primers(run: Run) -> None:
    sample = syn.AMPLICON_SAMPLES[0]
    report = run.path(f"results/cutadapt_primers/{sample}.cutadapt.txt").read_text()
    pairs = int(re.search(r"Total read pairs processed:\s+([\d,]+)", report).group(1).replace(",", ""))
    written = int(re.search(r"Pairs written \(passing filters\):\s+([\d,]+)", report).group(1).replace(",", ""))
    assert pairs == syn.AMPLICON_PAIRS and written > 0.97 * pairs
    with gzip.open(run.path(f"results/cutadapt_primers/{sample}_R1.fastq.gz"), "rt") as handle:
        reads = [line.strip() for number, line in enumerate(handle) if number % 4 == 1]
    assert len(reads) == written
    assert sum(r.startswith(syn.FORWARD_PRIMER[:10]) for r in reads) < 0.01 * written  # primers are gone
    inserts = {seq[:30] for seq in syn.variants().values()} | {syn.chimera()[:30]}
    assert sum(r[:30] in inserts for r in reads) > 0.9 * written  # reads now start at the insert


def check_vsearch_mergepairs(run: Run) -> None:
    sample = syn.AMPLICON_SAMPLES[0]
    with gzip.open(run.path(f"results/vsearch_mergepairs/{sample}.merged.fastq.gz"), "rt") as handle:
        merged = [line.strip() for number, line in enumerate(handle) if number % 4 == 1]
    assert len(merged) > 0.95 * syn.AMPLICON_PAIRS
    assert sum(len(m) == syn.INSERT_LEN for m in merged) > 0.95 * len(merged)  # full inserts, primers removed


def check_vsearch_filter(run: Run) -> None:
    for sample in syn.AMPLICON_SAMPLES:
        headers = [line for line in run.path(f"results/vsearch_filter/{sample}.filtered.fasta").read_text()
                   .splitlines() if line.startswith(">")]
        assert len(headers) > 0.85 * syn.AMPLICON_PAIRS
        assert all(h.startswith(f">{sample}.") and h.endswith(f";sample={sample}") for h in headers)


def check_vsearch_dereplicate(run: Run) -> None:
    text = run.path("results/vsearch_dereplicate/uniques.fasta").read_text()
    sizes = [int(s) for s in re.findall(r";size=(\d+)", text)]
    assert sizes == sorted(sizes, reverse=True) and min(sizes) >= 2
    uniques = fasta(run.path("results/vsearch_dereplicate/uniques.fasta"))
    assert set(syn.variants().values()) <= set(uniques.values())
    # the most abundant unique sequence is the most abundant planted variant over both samples (A+... : B/C tie)
    assert uniques["Uniq1"] in set(syn.variants().values())


def check_vsearch_unoise3(run: Run) -> None:
    denoised = fasta(run.path("results/vsearch_unoise3/denoised.fasta"))
    assert set(syn.variants().values()) <= set(denoised.values())
    assert syn.chimera() in denoised.values()  # chimeras are removed by the next step, not by denoising
    assert all(name.startswith("ASV_") for name in denoised)


def check_vsearch_uchime_denovo(run: Run) -> None:
    chimeras = fasta(run.path("results/vsearch_uchime_denovo/chimeras.fasta"))
    assert syn.chimera() in chimeras.values()
    asvs = run.path("results/vsearch_uchime_denovo/asvs.fasta").read_text()
    assert ";size=" not in asvs
    assert set(planted_asvs(fasta(run.path("results/vsearch_uchime_denovo/asvs.fasta")))) == set(syn.ABUNDANCE)


def check_vsearch_otutab(run: Run) -> None:
    check_asv_table(run, "results/vsearch_uchime_denovo/asvs.fasta", "results/vsearch_otutab/asv_table.tsv",
                    "#OTU ID")


def check_vsearch_sintax(run: Run) -> None:
    asvs = fasta(run.path("results/vsearch_uchime_denovo/asvs.fasta"))
    rows = {line.split("\t")[0]: line.split("\t") for line in
            run.path("results/vsearch_sintax/asv_taxonomy.tsv").read_text().splitlines()}
    for name, asv in planted_asvs(asvs).items():
        confident = rows[asv][3]
        assert confident == syn.TAXA[name], (name, rows[asv])


def check_dada2(run: Run) -> None:
    check_asv_table(run, "results/dada2/asvs.fasta", "results/dada2/asv_table.tsv", "ASV_ID")
    track = {row["sample"]: row for row in tsv(run.path("results/dada2/read_counts.tsv"))}
    for sample in syn.AMPLICON_SAMPLES:
        row = track[sample]
        assert int(row["input"]) > 0.97 * syn.AMPLICON_PAIRS
        assert int(row["nonchimeric"]) < int(row["merged"])  # the chimera's reads were removed
        assert int(row["nonchimeric"]) > 0.8 * int(row["input"])


CHECKS: dict[str, tuple[str, Callable[[Run], None]]] = {
    "bowtie2_host_index": ("profiling_kraken2", check_bowtie2_host_index),
    "host_filter_bowtie2": ("profiling_kraken2", check_host_filter_bowtie2),
    "kraken2": ("profiling_kraken2", check_kraken2),
    "kraken2_combine": ("profiling_kraken2", check_kraken2_combine),
    "cutadapt_primers": ("amplicon_vsearch", check_cutadapt_primers),
    "vsearch_mergepairs": ("amplicon_vsearch", check_vsearch_mergepairs),
    "vsearch_filter": ("amplicon_vsearch", check_vsearch_filter),
    "vsearch_dereplicate": ("amplicon_vsearch", check_vsearch_dereplicate),
    "vsearch_unoise3": ("amplicon_vsearch", check_vsearch_unoise3),
    "vsearch_uchime_denovo": ("amplicon_vsearch", check_vsearch_uchime_denovo),
    "vsearch_otutab": ("amplicon_vsearch", check_vsearch_otutab),
    "vsearch_sintax": ("amplicon_vsearch", check_vsearch_sintax),
    "dada2": ("amplicon_dada2", check_dada2),
}


@pytest.mark.parametrize("module", sorted(CHECKS))
def test_module_output_content(metagenomics_runs, module):
    metagenomics_runs.check(CHECKS, module)


def test_dada2_taxonomy_uses_the_dada2_asvs(metagenomics_runs):
    """With DADA2, SINTAX classifies DADA2's ASVs: every planted variant gets its planted taxonomy."""
    run = metagenomics_runs("amplicon_dada2")
    asvs = fasta(run.path("results/dada2/asvs.fasta"))
    rows = {line.split("\t")[0]: line.split("\t") for line in
            run.path("results/vsearch_sintax/asv_taxonomy.tsv").read_text().splitlines()}
    for name, asv in planted_asvs(asvs).items():
        assert rows[asv][3] == syn.TAXA[name]
