"""Synthetic data with a planted truth for the alternative-splicing and bisulfite-methylation modules (seeded).

- Splicing: the genome of synthetic.py with three-exon genes; each gene has an inclusion isoform (E1-E2-E3) and a
  skipping isoform (E1-E3). Every gene keeps its own inclusion rate in all samples, except CASSETTE_GENE whose
  middle exon is mostly included in control samples and mostly skipped in treated ones.
- Bisulfite: reads of which about half come from fragments shorter than the read, so they run into the Illumina
  adapter (Trim Galore must remove it); and Bismark-format coverage files (chr, start, end, %, methylated,
  unmethylated) of the genome's CpGs where the planted DMR is highly methylated in control samples and barely in
  treated ones, over a shared background.

A shared test dataset (like nf-core's test-datasets): tests/modules/workflows/ (splice_methyl.py) runs
workflows on it, and several modules' checks (library/modules/<id>/test/check.py) compare their outputs
with its planted truth.
"""

from __future__ import annotations

import gzip
import random
from pathlib import Path

from biopipelines.library.testdata import synthetic as syn

# -- splicing ------------------------------------------------------------------------------------------------------

SPLICE_GENES = 28
CASSETTE_GENE = "sgene5"
CASSETTE_INCLUSION = {"control": 0.85, "treated": 0.15}


def splice_genes() -> list[syn.Gene]:
    """Three-exon + strand genes every 1.6 kb (300 bp exons, a 200 bp cassette exon, 250 bp introns): 18 on chr1,
    10 on chr2."""
    found = []
    for index in range(SPLICE_GENES):
        contig = "chr1" if index < 18 else "chr2"
        start = 500 + 1_600 * (index if index < 18 else index - 18)
        exons = ((start, start + 299), (start + 550, start + 749), (start + 1_000, start + 1_299))
        found.append(syn.Gene(f"sgene{index + 1}", contig, exons))
    return found


def isoforms(gene: syn.Gene) -> dict[str, tuple[tuple[int, int], ...]]:
    return {f"{gene.gene_id}_inc": gene.exons, f"{gene.gene_id}_skip": (gene.exons[0], gene.exons[2])}


def cassette_exon() -> tuple[str, int, int]:
    gene = next(g for g in splice_genes() if g.gene_id == CASSETTE_GENE)
    return (gene.contig, *gene.exons[1])


def write_splice_gtf(path: Path) -> Path:
    lines = []
    for gene in splice_genes():
        start, end = gene.exons[0][0], gene.exons[-1][1]
        lines.append(f'{gene.contig}\tsyn\tgene\t{start}\t{end}\t.\t+\t.\tgene_id "{gene.gene_id}";')
        for tx, exons in isoforms(gene).items():
            attrs = f'gene_id "{gene.gene_id}"; transcript_id "{tx}"; gene_name "{gene.gene_id}";'
            lines.append(f"{gene.contig}\tsyn\ttranscript\t{exons[0][0]}\t{exons[-1][1]}\t.\t+\t.\t{attrs}")
            for number, (s, e) in enumerate(exons, 1):
                lines.append(f'{gene.contig}\tsyn\texon\t{s}\t{e}\t.\t+\t.\t{attrs} exon_number "{number}";')
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n")
    return path


def write_splice_reference(folder: Path) -> dict[str, Path]:
    return {"fasta": syn.write_fasta(folder / "genome.fa", syn.genome()),
            "gtf": write_splice_gtf(folder / "genes.gtf")}


def splice_reads(folder: Path, per_gene: int = 160) -> list[dict]:
    """3 control + 3 treated paired-end samples; each gene gets ~`per_gene` fragments split between its isoforms."""
    ref = syn.genome()
    genes = splice_genes()
    inclusion = {g.gene_id: random.Random(g.gene_id).uniform(0.4, 0.7) for g in genes}
    rows = []
    for condition, sample in syn.two_groups():
        rng = random.Random(f"{sample}-splice")
        pairs = []
        for gene in genes:
            rate = CASSETTE_INCLUSION[condition] if gene.gene_id == CASSETTE_GENE else inclusion[gene.gene_id]
            forms = isoforms(gene)
            sequences = {tx: "".join(ref[gene.contig][s - 1:e] for s, e in exons) for tx, exons in forms.items()}
            total = int(per_gene * rng.uniform(0.85, 1.15))
            included = sum(rng.random() < rate for _ in range(total))
            pairs += list(syn._pairs(sequences[f"{gene.gene_id}_inc"], included, rng))
            pairs += list(syn._pairs(sequences[f"{gene.gene_id}_skip"], total - included, rng))
        rng.shuffle(pairs)
        r1, r2 = syn.write_reads(folder, sample, pairs)
        rows.append({"sample": sample, "condition": condition, "fq1": str(r1), "fq2": str(r2)})
    return rows


# -- bisulfite -------------------------------------------------------------------------------------------------------

ADAPTER_R1 = "AGATCGGAAGAGCACACGTCTGAACTCCAGTCA"  # Illumina TruSeq read-1 adapter
ADAPTER_R2 = "AGATCGGAAGAGCGTCGTGTAGGGAAAGAGTGT"
SHORT_FRAGMENT = 50  # bp: reads of 75 bp run 25 bp into the adapter
DMR = ("chr1", 10_001, 11_000)  # 1-based, inclusive: the planted differentially methylated region
DMR_LEVEL = {"control": 0.85, "treated": 0.10}


def bisulfite_convert(seq: str, rng: random.Random, methylated: float = 0.8) -> str:
    """Top-strand conversion: C not followed by G becomes T; CpG Cs stay C with probability `methylated`."""
    out = []
    for i, base in enumerate(seq):
        if base == "C" and not (i + 1 < len(seq) and seq[i + 1] == "G" and rng.random() < methylated):
            base = "T"
        out.append(base)
    return "".join(out)


def adapter_reads(folder: Path, samples: int = 6, pairs_per_sample: int = 1_000) -> list[dict]:
    """Bisulfite-converted paired reads; every other fragment is SHORT_FRAGMENT long, so both mates end in
    adapter sequence."""
    genome = syn.genome()
    rows = []
    for index in range(1, samples + 1):
        condition = "control" if index <= samples // 2 else "treated"
        sample = f"{condition}_{(index - 1) % (samples // 2) + 1}"
        rng = random.Random(f"{sample}-bs")
        converted = {name: bisulfite_convert(seq, rng) for name, seq in genome.items()}
        pairs = []
        for n in range(pairs_per_sample):
            contig = rng.choice(list(converted))
            size = SHORT_FRAGMENT if n % 2 else rng.randint(180, 260)
            start = rng.randint(0, len(converted[contig]) - size)
            fragment = converted[contig][start:start + size]
            mate1 = (fragment + ADAPTER_R1 + "A" * syn.READ_LEN)[:syn.READ_LEN]
            mate2 = (syn.revcomp(fragment) + ADAPTER_R2 + "A" * syn.READ_LEN)[:syn.READ_LEN]
            pairs.append((mate1, mate2))
        r1, r2 = syn.write_reads(folder, sample, pairs)
        rows.append({"sample": sample, "condition": condition, "fq1": str(r1), "fq2": str(r2)})
    return rows


def cpg_positions() -> list[tuple[str, int]]:
    """1-based positions of the C of every CpG on the top strand."""
    return [(name, i + 1) for name, seq in syn.genome().items() for i in range(len(seq) - 1) if seq[i:i + 2] == "CG"]


def in_dmr(contig: str, pos: int) -> bool:
    return contig == DMR[0] and DMR[1] <= pos <= DMR[2]


def write_coverage(path: Path, condition: str, seed: str) -> Path:
    """One sample's Bismark coverage file: ~20x per CpG, background levels shared by all samples."""
    rng = random.Random(seed)
    lines = []
    for contig, pos in cpg_positions():
        level = DMR_LEVEL[condition] if in_dmr(contig, pos) else random.Random(f"{contig}:{pos}").uniform(0.5, 0.9)
        depth = rng.randint(12, 28)
        methylated = sum(rng.random() < level for _ in range(depth))
        percent = 100 * methylated / depth
        lines.append(f"{contig}\t{pos}\t{pos}\t{percent:.4g}\t{methylated}\t{depth - methylated}\n")
    path.parent.mkdir(parents=True, exist_ok=True)
    with gzip.open(path, "wt") as handle:
        handle.writelines(lines)
    return path
