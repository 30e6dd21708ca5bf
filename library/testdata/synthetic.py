"""Tiny synthetic data sets with a planted truth (seeded, so every run is the same): the data of
`biopipelines run --test` (testdata/fill.py) and of the module tests.

- a two-contig genome with a toy GTF (two-exon genes) and its spliced transcriptome;
- RNA-seq reads: 3 control + 3 treated samples, one gene (GENE_UP) ~8x higher in treated;
- DNA reads: two samples carrying a homozygous SNV at a known position (SNV);
- ChIP-seq reads: a ChIP sample enriched around a known summit (PEAK) and a flat input control; every ChIP sample
  also carries a pile of reads at ARTEFACT, a region the toy blacklist (BLACKLIST, written with the reference)
  covers, as collapsed repeats do in real genomes: MACS calls it, the blacklist filter must drop it.
Reads are simulated here (the wgsim idea: uniform fragments, 0.1% substitution errors) because Debian's wgsim
package is not available on every release; the reads are plain FASTQ, gzip-compressed.

A shared test dataset (like nf-core's test-datasets): tests/modules/workflows/ runs most workflows on its genome
(the other synthetic_*.py files build on it), and several modules' checks (library/modules/<id>/test/check.py)
compare their outputs with its planted truth.
"""

from __future__ import annotations

import gzip
import random
import re
import shutil
import subprocess
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

BASES = "ACGT"
COMPLEMENT = str.maketrans("ACGT", "TGCA")
READ_LEN = 75
FRAGMENT = 220
CONTIGS = {"chr1": 30_000, "chr2": 20_000}
GENES = 24
GENE_UP = "gene3"
SNV = ("chr1", 12_001)  # 1-based position of the planted SNV
PEAK = ("chr1", 20_000)  # summit of the planted ChIP enrichment
REPLICATE_ONLY_PEAK = ("chr2", 14_000)  # a summit planted in one ChIP replicate only (consensus tests)
ARTEFACT = ("chr2", 4_000)  # centre of a read pile in every ChIP sample (not in the input): a blacklist artefact
BLACKLIST = ("chr2", 3_500, 4_500)  # the toy blacklist region (BED, 0-based half-open) around ARTEFACT
ARTEFACT_FRAGMENTS = 300  # a fifth of the planted peak's 1,500: a clear peak, but weaker than the planted one
DELETION = ("chr2", 8_001, 9_000)  # 1-based, inclusive: the planted homozygous 1 kb deletion (SV workflows)


@dataclass(frozen=True)
class Gene:
    gene_id: str
    contig: str
    exons: tuple[tuple[int, int], ...]  # 1-based, inclusive

    @property
    def transcript_id(self) -> str:
        return self.gene_id.replace("gene", "tx")

    @property
    def gene_name(self) -> str:
        return gene_name(self.gene_id)


def gene_name(gene_id: str) -> str:
    """The GTF's gene_name of a gene: a symbol unlike its id, so tables can be checked for carrying symbols."""
    return gene_id.replace("gene", "Toy")


def revcomp(seq: str) -> str:
    return seq.translate(COMPLEMENT)[::-1]


def genome(seed: int = 7) -> dict[str, str]:
    rng = random.Random(seed)
    return {name: "".join(rng.choice(BASES) for _ in range(length)) for name, length in CONTIGS.items()}


def genes() -> list[Gene]:
    """Two-exon genes on the + strand every 1.6 kb (exons of 450 bp separated by a 300 bp intron): 14 on chr1,
    10 on chr2."""
    found = []
    for index in range(GENES):
        contig = "chr1" if index < 14 else "chr2"
        start = 500 + 1_600 * (index if index < 14 else index - 14)
        found.append(Gene(f"gene{index + 1}", contig, ((start, start + 449), (start + 750, start + 1199))))
    return found


def transcript_seq(ref: dict[str, str], gene: Gene) -> str:
    return "".join(ref[gene.contig][s - 1:e] for s, e in gene.exons)


def write_fasta(path: Path, seqs: dict[str, str]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w") as handle:
        for name, seq in seqs.items():
            handle.write(f">{name}\n")
            for i in range(0, len(seq), 60):
                handle.write(seq[i:i + 60] + "\n")
    return path


def write_gtf(path: Path, items: list[Gene]) -> Path:
    lines = []
    for gene in items:
        attrs = f'gene_id "{gene.gene_id}"; transcript_id "{gene.transcript_id}"; gene_name "{gene.gene_name}";'
        start, end = gene.exons[0][0], gene.exons[-1][1]
        lines.append(f'{gene.contig}\ttoy\tgene\t{start}\t{end}\t.\t+\t.\tgene_id "{gene.gene_id}";')
        lines.append(f"{gene.contig}\ttoy\ttranscript\t{start}\t{end}\t.\t+\t.\t{attrs}")
        for number, (s, e) in enumerate(gene.exons, 1):
            lines.append(f"{gene.contig}\ttoy\texon\t{s}\t{e}\t.\t+\t.\t{attrs} exon_number \"{number}\";")
    path.write_text("\n".join(lines) + "\n")
    return path


def _mutate(seq: str, rng: random.Random, rate: float = 0.001) -> str:
    chars = list(seq)
    for i in range(len(chars)):
        if rng.random() < rate:
            chars[i] = rng.choice([b for b in BASES if b != chars[i]])
    return "".join(chars)


def _pairs(template: str, count: int, rng: random.Random, starts: list[int] | None = None):
    """(mate1, mate2) from fragments of `template`: mate 1 forward, mate 2 reverse-complemented (FR library)."""
    for n in range(count):
        size = min(max(READ_LEN + 10, int(rng.gauss(FRAGMENT, 20))), len(template))  # insert sizes vary
        start = starts[n] if starts else rng.randint(0, len(template) - size)
        fragment = template[start:start + size]
        yield _mutate(fragment[:READ_LEN], rng), _mutate(revcomp(fragment[-READ_LEN:]), rng)


def write_reads(folder: Path, sample: str, pairs, paired: bool = True) -> tuple[Path, Path | None]:
    folder.mkdir(parents=True, exist_ok=True)
    r1, r2 = folder / f"{sample}_R1.fastq.gz", folder / f"{sample}_R2.fastq.gz"
    qual = "I" * READ_LEN
    with gzip.open(r1, "wt") as h1, gzip.open(r2, "wt") if paired else open("/dev/null", "w") as h2:
        for n, (m1, m2) in enumerate(pairs):
            h1.write(f"@{sample}:{n}/1\n{m1}\n+\n{qual}\n")
            h2.write(f"@{sample}:{n}/2\n{m2}\n+\n{qual}\n")
    return r1, (r2 if paired else None)


def write_reference(folder: Path) -> dict[str, Path]:
    ref = genome()
    items = genes()
    return {
        "fasta": write_fasta(folder / "genome.fa", ref),
        "gtf": write_gtf(folder / "genes.gtf", items),
        "transcriptome": write_fasta(folder / "transcripts.fa",
                                     {g.transcript_id: transcript_seq(ref, g) for g in items}),
        "blacklist": write_blacklist(folder / "blacklist.bed"),
    }


def write_blacklist(path: Path) -> Path:
    """The toy genome's blacklist: one region covering ARTEFACT (and nothing near PEAK)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    contig, start, end = BLACKLIST
    path.write_text(f"{contig}\t{start}\t{end}\tartefact_high_signal\n")
    return path


def two_groups(replicates: int = 3) -> Iterator[tuple[str, str]]:
    """(condition, sample) of the control-versus-treated design the expression datasets share."""
    for condition in ("control", "treated"):
        for rep in range(1, replicates + 1):
            yield condition, f"{condition}_{rep}"


def rnaseq_reads(folder: Path, paired: bool = True, per_gene: int = 200, fold: int = 8) -> list[dict]:
    """Six samples, 3 control + 3 treated (see rnaseq_sample)."""
    rows = []
    for condition, sample in two_groups():
        r1, r2 = rnaseq_sample(folder, sample, condition == "treated", paired, per_gene, fold)
        rows.append({"sample": sample, "condition": condition, "fq1": str(r1), "fq2": str(r2 or "")})
    return rows


def rnaseq_sample(folder: Path, sample: str, treated: bool, paired: bool = True, per_gene: int = 200,
                  fold: int = 8) -> tuple[Path, Path | None]:
    """One sample's reads: genes get between `per_gene`/2 and 2x`per_gene` fragments (a fixed level per gene, with
    +-15% sample noise), GENE_UP `fold` times more when `treated`."""
    ref, items = genome(), genes()
    levels = {g.gene_id: random.Random(g.gene_id).uniform(0.5, 2.0) for g in items}
    rng = random.Random(f"{sample}-rna")
    pairs = []
    for gene in items:
        wanted = per_gene * levels[gene.gene_id] * (fold if treated and gene.gene_id == GENE_UP else 1)
        wanted = int(wanted * rng.uniform(0.85, 1.15))
        pairs += list(_pairs(transcript_seq(ref, gene), wanted, rng))
    rng.shuffle(pairs)
    return write_reads(folder, sample, pairs, paired)


def variant_genome() -> dict[str, str]:
    """The genome with the planted SNV (ALT is the next base in ACGT after REF)."""
    ref = genome()
    contig, pos = SNV
    seq = ref[contig]
    alt = snv_alt()
    return {**ref, contig: seq[:pos - 1] + alt + seq[pos:]}


def snv_ref() -> str:
    contig, pos = SNV
    return genome()[contig][pos - 1]


def snv_alt() -> str:
    return BASES[(BASES.index(snv_ref()) + 1) % 4]


# The standard genetic code, codons in TCAG order (NCBI translation table 1); `*` is a stop.
CODE = dict(zip((a + b + c for a in "TCAG" for b in "TCAG" for c in "TCAG"),
                "FFLLSSSSYY**CC*WLLLLPPPPHHQQRRRRIIIMTTTTNNKKSSRRVVVVAAAADDEEGGGG"))


def snv_cds() -> tuple[Gene, int, int]:
    """A coding sequence around the planted SNV, for variant annotation tests: (gene, start, end), 1-based and
    inclusive, in the first exon of the gene the SNV lies in, on the + strand. It is the open reading frame (no
    in-frame stop) through the SNV codon, ending with its stop codon where the exon has one in that frame."""
    contig, pos = SNV
    seq = genome()[contig]
    gene = next(g for g in genes() if g.contig == contig and g.exons[0][0] <= pos <= g.exons[0][1])
    first, last = gene.exons[0]
    for frame in range(3):
        codon_start = pos - (pos - first - frame) % 3
        if CODE[seq[codon_start - 1:codon_start + 2]] == "*":
            continue  # the SNV would sit in a stop codon: another frame
        start = codon_start
        while start - 3 >= first + frame and CODE[seq[start - 4:start - 1]] != "*":
            start -= 3
        end = codon_start + 2
        while end + 3 <= last and CODE[seq[end - 1 + 1:end + 2 + 1]] != "*":
            end += 3
        if end + 3 <= last:
            end += 3  # the stop codon closes the reading frame
        return gene, start, end
    raise AssertionError("no reading frame through the SNV")


def snv_effect() -> str:
    """The Sequence Ontology effect of the planted SNV on snv_cds(): missense, synonymous, stop_gained."""
    contig, pos = SNV
    seq = genome()[contig]
    _, start, _ = snv_cds()
    codon_start = pos - (pos - start) % 3
    ref = seq[codon_start - 1:codon_start + 2]
    offset = pos - codon_start
    alt = ref[:offset] + snv_alt() + ref[offset + 1:]
    if CODE[alt] == "*":
        return "stop_gained"
    return "synonymous_variant" if CODE[ref] == CODE[alt] else "missense_variant"


def write_coding_gtf(path: Path) -> Path:
    """The toy GTF plus CDS (and stop_codon) records of snv_cds() (GTF 2.2: the CDS excludes the stop codon)."""
    write_gtf(path, genes())
    gene, start, end = snv_cds()
    seq = genome()[gene.contig]
    attrs = f'gene_id "{gene.gene_id}"; transcript_id "{gene.transcript_id}"; gene_name "{gene.gene_id}";'
    has_stop = CODE[seq[end - 3:end]] == "*"
    cds_end = end - 3 if has_stop else end
    lines = [f"{gene.contig}\ttoy\tCDS\t{start}\t{cds_end}\t.\t+\t0\t{attrs}"]
    if has_stop:
        lines.append(f"{gene.contig}\ttoy\tstop_codon\t{end - 2}\t{end}\t.\t+\t0\t{attrs}")
    with path.open("a") as handle:
        handle.write("\n".join(lines) + "\n")
    return path


SNPEFF_DATABASE = "synthetic"


def write_snpeff_repository(folder: Path, fasta: Path) -> Path:
    """A SnpEff database of the synthetic genome with the CDS through the planted SNV (write_coding_gtf), built by
    `snpEff build -gtf22` and zipped as SnpEff's repository lays it out (v<major>_<minor>/snpEff_v<major>_<minor>_
    <database>.zip): a workflow's snpeff_download fetches it from this folder (a file: URL) instead of the internet.
    Needs snpEff on PATH; returns the repository folder."""
    build = folder / "build" / SNPEFF_DATABASE
    build.mkdir(parents=True)
    (build / "sequences.fa").write_text(fasta.read_text())
    write_coding_gtf(build / "genes.gtf")
    subprocess.run(["snpEff", "build", "-gtf22", "-noCheckCds", "-noCheckProtein", "-noLog",
                    "-dataDir", str(build.parent.resolve()),
                    "-configOption", f"{SNPEFF_DATABASE}.genome={SNPEFF_DATABASE}", SNPEFF_DATABASE],
                   check=True, capture_output=True, timeout=300)
    version = subprocess.run(["snpEff", "-version"], check=True, capture_output=True, text=True).stdout
    tag = "v{}_{}".format(*re.search(r"(\d+)\.(\d+)", version).groups())
    repository = folder / "repository"
    archive = repository / tag / f"snpEff_{tag}_{SNPEFF_DATABASE}.zip"
    archive.parent.mkdir(parents=True)
    with zipfile.ZipFile(archive, "w") as handle:
        for name in ("snpEffectPredictor.bin", "sequence.bin"):
            handle.write(build / name, f"data/{SNPEFF_DATABASE}/{name}")
    shutil.rmtree(folder / "build")
    return repository


def deleted_genome() -> dict[str, str]:
    """The SNV genome with DELETION removed as well."""
    mutated = variant_genome()
    contig, start, end = DELETION
    return {**mutated, contig: mutated[contig][:start - 1] + mutated[contig][end:]}


def dna_reads(folder: Path, samples: int = 2, depth: int = 25, paired: bool = True,
              deletion: bool = False) -> list[dict]:
    """Whole-genome reads at ~`depth`x from the genome carrying the homozygous SNV (and the deletion)."""
    rows = []
    for index in range(1, samples + 1):
        sample = f"sample_{index}"
        r1, r2 = dna_sample(folder, sample, depth, paired, deletion)
        rows.append({"sample": sample, "fq1": str(r1), "fq2": str(r2 or "")})
    return rows


def dna_sample(folder: Path, sample: str, depth: int = 25, paired: bool = True,
               deletion: bool = False) -> tuple[Path, Path | None]:
    mutated = deleted_genome() if deletion else variant_genome()
    rng = random.Random(f"{sample}-dna")
    pairs = []
    for seq in mutated.values():
        pairs += list(_pairs(seq, len(seq) * depth // (2 * READ_LEN), rng))
    return write_reads(folder, sample, pairs, paired)


def atac_reads(folder: Path, paired: bool = True) -> list[dict]:
    """One ATAC-like sample: open chromatin (many fragments) around PEAK over a uniform background."""
    rows = chip_reads(folder, paired)[:1]
    return [{"sample": rows[0]["sample"], "fq1": rows[0]["fq1"], "fq2": rows[0]["fq2"]}]


def chip_reads(folder: Path, paired: bool = True, background: int = 6_000, enriched: int = 1_500) -> list[dict]:
    """chip_1 (enriched around PEAK) with its input control input_1 (uniform)."""
    rows = []
    for sample, extra in (("chip_1", enriched), ("input_1", 0)):
        r1, r2 = chip_sample(folder, sample, extra, paired, background)
        rows.append({"sample": sample, "antibody": "chip" if extra else "input",
                     "control": "input_1" if extra else "", "fq1": str(r1), "fq2": str(r2 or "")})
    return rows


def chip_replicate_reads(folder: Path, paired: bool = True) -> list[dict]:
    """Two replicates of antibody chip (both enriched around PEAK, chip_2 also around REPLICATE_ONLY_PEAK) and one
    of antibody tf (around PEAK), all against input_1."""
    rows = chip_reads(folder, paired)
    for sample, antibody, extra in (("chip_2", "chip", REPLICATE_ONLY_PEAK), ("tf_1", "tf", None)):
        r1, r2 = chip_sample(folder, sample, 1_500, paired, extra_summit=extra)
        rows.append({"sample": sample, "antibody": antibody, "control": "input_1", "fq1": str(r1),
                     "fq2": str(r2 or "")})
    return rows


def chip_sample(folder: Path, sample: str, enriched: int, paired: bool = True,
                background: int = 6_000, extra_summit: tuple[str, int] | None = None) -> tuple[Path, Path | None]:
    """`background` uniform fragments plus `enriched` fragments around PEAK (0 for an input control), and as many
    again around `extra_summit` when given (drawn after the others, so the reads without it are unchanged)."""
    ref = genome()
    rng = random.Random(f"{sample}-chip")
    pairs = []
    for seq in ref.values():
        pairs += list(_pairs(seq, background * len(seq) // sum(CONTIGS.values()), rng))
    for contig, summit in (PEAK, extra_summit) if extra_summit else (PEAK,):
        starts = [min(max(0, int(rng.gauss(summit - FRAGMENT // 2, 60))), len(ref[contig]) - FRAGMENT)
                  for _ in range(enriched)]
        pairs += list(_pairs(ref[contig], enriched, rng, starts))
    rng.shuffle(pairs)
    if enriched:  # the artefact pile, from its own generator and after the others: their reads are unchanged
        pairs += list(artefact_pairs(sample, ref))
    return write_reads(folder, sample, pairs, paired)


def artefact_pairs(sample: str, ref: dict[str, str]):
    """ARTEFACT_FRAGMENTS fragments piled tightly (start sd 40 bp) around ARTEFACT in a ChIP sample."""
    rng = random.Random(f"{sample}-artefact")
    contig, centre = ARTEFACT
    starts = [int(rng.gauss(centre - FRAGMENT // 2, 40)) for _ in range(ARTEFACT_FRAGMENTS)]
    return _pairs(ref[contig], ARTEFACT_FRAGMENTS, rng, starts)
