"""Synthetic small RNA-seq and Ribo-seq data with a planted truth (seeded, so every run is the same).

Small RNA-seq: a miRBase-style mature.fa (RNA letters, human `hsa-` entries plus mouse `mmu-` copies that the
index must leave out, and two let-7 siblings one base apart); reads are a mature miRNA (sometimes a 3'-shortened
isomiR) followed by the TruSeq small RNA 3' adapter, plus adapter dimers and non-miRNA reads. Six samples (3 control,
3 treated); MIR_UP is FOLD times more abundant in treated. The exact number of reads made from each miRNA in each
sample is returned, so counts can be compared with the truth.

Ribo-seq: the shared toy genome (library/testdata/synthetic.py) with coding genes (ATG...stop across the two exons,
every fourth gene on the minus strand); 28-30 nt footprints whose P-site (12 nt from the 5' end, 13 for 30 nt)
sits in frame 0 of the CDS for 80% of reads (10% each in frames 1 and 2), with an initiation peak at the start
codon, followed by the Ingolia-protocol linker; plus rRNA fragments from a separate rRNA FASTA. GENE_UP has FOLD
times more footprints in treated.

A shared test dataset (like nf-core's test-datasets): tests/modules/workflows/ (smallrna_ribo.py) runs
workflows on it, and several modules' checks (library/modules/<id>/test/check.py) compare their outputs
with its planted truth.
"""

from __future__ import annotations

import functools
import gzip
import random
from dataclasses import dataclass
from pathlib import Path

from biopipelines.library.testdata import synthetic as syn

SMALL_ADAPTER = "TGGAATTCTCGGGTGCCAAGG"
RIBO_ADAPTER = "CTGTAGGCACCATCAAT"
READ_LEN = 50
FOLD = 8
MIR_COUNT = 16
MIR_UP = "hsa-miR-5-5p"
LET7A, LET7C = "hsa-let-7a-5p", "hsa-let-7c-5p"
RIBO_GENE_UP = syn.GENE_UP
FRAME_SHARE = (0.8, 0.1, 0.1)
OFFSETS = {28: 12, 29: 12, 30: 13}  # planted P-site offsets by footprint length
CDS_START = 60  # transcript coordinate (0-based) of the A of ATG
CODONS = 246  # coding codons (ATG included, stop excluded)
RRNA_SHARE = 0.25


def _random_seq(rng: random.Random, length: int) -> str:
    return "".join(rng.choice(syn.BASES) for _ in range(length))


def _fastq(path: Path, reads: list[str], sample: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with gzip.open(path, "wt") as handle:
        for n, seq in enumerate(reads):
            handle.write(f"@{sample}:{n}\n{seq}\n+\n{'I' * len(seq)}\n")
    return path


def _with_adapter(insert: str, adapter: str, rng: random.Random) -> str:
    read = insert + adapter
    return (read + _random_seq(rng, READ_LEN))[:READ_LEN]


# -- small RNA-seq -----------------------------------------------------------------------------------------------

def mirnas() -> dict[str, str]:
    """Human mature miRNAs (DNA letters): MIR_COUNT random 22-mers plus let-7a and let-7c (one base apart)."""
    rng = random.Random("mirna")
    found = {f"hsa-miR-{i}-5p": _random_seq(rng, 22) for i in range(1, MIR_COUNT + 1)}
    let7a = "TGAGGTAGTAGGTTGTATAGTT"
    found[LET7A] = let7a
    found[LET7C] = let7a[:17] + "G" + let7a[18:]  # differs from let-7a outside the seed
    return found


def write_mirbase(path: Path) -> Path:
    """A miRBase-like mature.fa: RNA letters, accession and species in the header, mouse copies of half the
    human miRNAs (identical sequences under mmu- names) and a mouse-only miRNA."""
    rng = random.Random("mirbase")
    records = []
    for n, (name, seq) in enumerate(mirnas().items()):
        records.append((f"{name} MIMAT{n:07d} Homo sapiens {name[4:]}", seq))
        if n % 2 == 0:
            records.append((f"mmu-{name[4:]} MIMAT1{n:06d} Mus musculus {name[4:]}", seq))
    records.append(("mmu-miR-9999-3p MIMAT9999999 Mus musculus miR-9999-3p", _random_seq(rng, 22)))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(f">{header}\n{seq.replace('T', 'U')}\n" for header, seq in records))
    return path


def mirna_levels() -> dict[str, float]:
    return {name: random.Random(name).uniform(0.5, 2.0) for name in mirnas()}


def smallrna_reads(folder: Path, per_mirna: int = 150) -> tuple[list[dict], dict[str, dict[str, int]]]:
    """Six single-end samples; returns the sample rows and {sample: {miRNA: reads made from it}}."""
    seqs, levels = mirnas(), mirna_levels()
    rows, truth = [], {}
    for condition, sample in syn.two_groups():
        rng = random.Random(f"{sample}-smallrna")
        reads, made = [], {}
        for name, seq in seqs.items():
            wanted = per_mirna * levels[name] * (FOLD if condition == "treated" and name == MIR_UP else 1)
            made[name] = int(wanted * rng.uniform(0.85, 1.15))
            for _ in range(made[name]):
                # a fifth of the reads are 3' isomiRs one or two bases shorter
                insert = seq[:-rng.choice((1, 2))] if rng.random() < 0.2 else seq
                reads.append(_with_adapter(insert, SMALL_ADAPTER, rng))
        reads += [_with_adapter("", SMALL_ADAPTER, rng) for _ in range(100)]  # adapter dimers
        reads += [_with_adapter(_random_seq(rng, 22), SMALL_ADAPTER, rng) for _ in range(200)]  # other RNA
        rng.shuffle(reads)
        fq1 = _fastq(folder / f"{sample}_R1.fastq.gz", reads, sample)
        rows.append({"sample": sample, "condition": condition, "fq1": str(fq1)})
        truth[sample] = made
    return rows, truth


def smallrna_reference(folder: Path) -> dict[str, Path]:
    # the DE modules take a GTF (read only for Salmon input): the shared toy GTF stands in
    return {"mirna_fasta": write_mirbase(folder / "mature.fa"),
            "gtf": syn.write_gtf(folder / "genes.gtf", syn.genes())}


# -- Ribo-seq ----------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class CodingGene:
    gene: syn.Gene
    strand: str

    @property
    def exons_tx_order(self) -> list[tuple[int, int]]:
        return list(self.gene.exons) if self.strand == "+" else list(reversed(self.gene.exons))

    def tx_to_genome(self, tx_pos: int) -> int:
        """1-based genome position of a 0-based transcript coordinate."""
        for start, end in self.exons_tx_order:
            size = end - start + 1
            if tx_pos < size:
                return start + tx_pos if self.strand == "+" else end - tx_pos
            tx_pos -= size
        raise ValueError("outside the transcript")


def coding_genes() -> list[CodingGene]:
    return [CodingGene(g, "-" if i % 4 == 3 else "+") for i, g in enumerate(syn.genes())]


@functools.cache
def ribo_genome() -> dict[str, str]:
    """The shared toy genome with ATG at each CDS start, a TAA after the last codon, and no in-frame stop inside."""
    ref = {name: list(seq) for name, seq in syn.genome().items()}
    rng = random.Random("ribo-genome")
    stops = {"TAA", "TAG", "TGA"}
    for coding in coding_genes():
        contig = ref[coding.gene.contig]

        def put(tx_pos: int, base: str, coding=coding, contig=contig) -> None:
            pos = coding.tx_to_genome(tx_pos)
            contig[pos - 1] = base if coding.strand == "+" else base.translate(syn.COMPLEMENT)

        def get(tx_pos: int, coding=coding, contig=contig) -> str:
            base = contig[coding.tx_to_genome(tx_pos) - 1]
            return base if coding.strand == "+" else base.translate(syn.COMPLEMENT)

        for i, base in enumerate("ATG"):
            put(CDS_START + i, base)
        for codon in range(1, CODONS):
            at = CDS_START + 3 * codon
            while "".join(get(at + i) for i in range(3)) in stops:
                put(at + 2, rng.choice("CG"))
        for i, base in enumerate("TAA"):
            put(CDS_START + 3 * CODONS + i, base)
    return {name: "".join(seq) for name, seq in ref.items()}


def transcript(ref: dict[str, str], coding: CodingGene) -> str:
    seq = "".join(ref[coding.gene.contig][s - 1:e] for s, e in coding.gene.exons)
    return seq if coding.strand == "+" else syn.revcomp(seq)


def write_ribo_gtf(path: Path) -> Path:
    lines = []
    for coding in coding_genes():
        gene, strand = coding.gene, coding.strand
        attrs = f'gene_id "{gene.gene_id}"; transcript_id "{gene.transcript_id}"; gene_name "{gene.gene_id}";'
        lines.append(f'{gene.contig}\ttoy\tgene\t{gene.exons[0][0]}\t{gene.exons[-1][1]}\t.\t{strand}\t.\t'
                     f'gene_id "{gene.gene_id}";')
        lines.append(f"{gene.contig}\ttoy\ttranscript\t{gene.exons[0][0]}\t{gene.exons[-1][1]}\t.\t{strand}\t.\t{attrs}")
        for number, (s, e) in enumerate(coding.exons_tx_order, 1):
            lines.append(f'{gene.contig}\ttoy\texon\t{s}\t{e}\t.\t{strand}\t.\t{attrs} exon_number "{number}";')
        # CDS blocks: the coding part of each exon, with the GTF phase of its first base
        first, last = CDS_START, CDS_START + 3 * CODONS - 1  # transcript coordinates, stop codon excluded
        done = 0
        tx = 0
        for start, end in coding.exons_tx_order:
            size = end - start + 1
            lo, hi = max(first, tx), min(last, tx + size - 1)
            if lo <= hi:
                a, b = sorted((coding.tx_to_genome(lo), coding.tx_to_genome(hi)))
                phase = (3 - done % 3) % 3
                lines.append(f"{gene.contig}\ttoy\tCDS\t{a}\t{b}\t.\t{strand}\t{phase}\t{attrs}")
                done += hi - lo + 1
            tx += size
        for feature, at in (("start_codon", CDS_START), ("stop_codon", CDS_START + 3 * CODONS)):
            a, b = sorted((coding.tx_to_genome(at), coding.tx_to_genome(at + 2)))
            lines.append(f"{gene.contig}\ttoy\t{feature}\t{a}\t{b}\t.\t{strand}\t0\t{attrs}")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n")
    return path


def rrna() -> dict[str, str]:
    rng = random.Random("rrna")
    return {"rRNA_28S": _random_seq(rng, 1500), "rRNA_18S": _random_seq(rng, 1200)}


def ribo_reference(folder: Path) -> dict[str, Path]:
    return {"fasta": syn.write_fasta(folder / "genome.fa", ribo_genome()),
            "gtf": write_ribo_gtf(folder / "genes.gtf"),
            "rrna_fasta": syn.write_fasta(folder / "rrna.fa", rrna())}


def _footprint(tx: str, rng: random.Random, initiating: bool) -> str:
    length = rng.choices((28, 29, 30), weights=(0.3, 0.4, 0.3))[0]
    codon = 0 if initiating else rng.randrange(CODONS)
    shift = 0 if initiating else rng.choices((0, 1, 2), weights=FRAME_SHARE)[0]
    five = CDS_START + 3 * codon + shift - OFFSETS[length]
    return tx[five:five + length]


def ribo_reads(folder: Path, per_gene: int = 150) -> tuple[list[dict], dict[str, int]]:
    """Six single-end samples; returns the sample rows and {sample: rRNA reads made}."""
    ref, genes, contaminants = ribo_genome(), coding_genes(), list(rrna().values())
    levels = {c.gene.gene_id: random.Random(c.gene.gene_id).uniform(0.5, 2.0) for c in genes}
    rows, rrna_made = [], {}
    for condition, sample in syn.two_groups():
        rng = random.Random(f"{sample}-ribo")
        reads = []
        for coding in genes:
            tx = transcript(ref, coding)
            wanted = per_gene * levels[coding.gene.gene_id] * (
                FOLD if condition == "treated" and coding.gene.gene_id == RIBO_GENE_UP else 1)
            for n in range(int(wanted * rng.uniform(0.85, 1.15))):
                reads.append(_with_adapter(_footprint(tx, rng, initiating=n % 10 == 0), RIBO_ADAPTER, rng))
        count = int(len(reads) * RRNA_SHARE / (1 - RRNA_SHARE))
        for _ in range(count):
            source = rng.choice(contaminants)
            size = rng.randint(26, 34)
            start = rng.randrange(len(source) - size)
            reads.append(_with_adapter(source[start:start + size], RIBO_ADAPTER, rng))
        rng.shuffle(reads)
        fq1 = _fastq(folder / f"{sample}_R1.fastq.gz", reads, sample)
        rows.append({"sample": sample, "condition": condition, "fq1": str(fq1)})
        rrna_made[sample] = count
    return rows, rrna_made
