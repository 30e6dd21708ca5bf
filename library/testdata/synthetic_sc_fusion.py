"""Synthetic data with a planted truth for the single-cell (10x) and RNA-fusion execution tests (seeded).

- 10x Chromium 3' v3 reads on the toy genome of synthetic.py: R1 = 16 bp cell barcode (from a small whitelist) +
  12 bp UMI + a poly-T stretch, R2 = 75 bp of cDNA in the sense orientation of a toy transcript. CELLS real cells
  (two cell types expressing disjoint gene sets, hundreds of UMIs each) and AMBIENT empty droplets (a few UMIs each,
  drawn from the ambient mix of all genes);
- RNA-seq reads of every toy transcript plus reads of a fusion transcript: exon 1 of FUSION_5P joined to exon 2 of
  FUSION_3P (on another chromosome), so the breakpoint is known exactly.

A shared test dataset (like nf-core's test-datasets): tests/modules/workflows/ (sc_fusion.py) runs
workflows on it, and several modules' checks (library/modules/<id>/test/check.py) compare their outputs
with its planted truth.
"""

from __future__ import annotations

import gzip
import random
from dataclasses import dataclass
from pathlib import Path

from biopipelines.library.testdata import synthetic as syn

CELLS = 20
AMBIENT = 300
WHITELIST = 1_000
UMIS_PER_CELL = (300, 500)  # real cells: a uniform number of UMIs in this range
UMIS_PER_EMPTY = (2, 40)  # empty droplets: well under emptyDrops' `lower` (100)
TYPE_GENES = {"A": [f"gene{i}" for i in range(1, 9)], "B": [f"gene{i}" for i in range(9, 17)]}
CDNA_LEN = 75

FUSION_5P = "gene5"  # chr1, exon 1 ends at 7349 (the donor breakpoint)
FUSION_3P = "gene20"  # chr2, exon 2 starts at 9250 (the acceptor breakpoint)
FUSION_READS = 150


@dataclass(frozen=True)
class Cell:
    barcode: str
    cell_type: str  # "A" or "B"; "" for an empty droplet
    umis: dict[str, int]  # gene -> planted UMI count


def _random_seq(rng: random.Random, length: int) -> str:
    return "".join(rng.choice(syn.BASES) for _ in range(length))


def whitelist() -> list[str]:
    rng = random.Random("whitelist")
    found: dict[str, None] = {}
    while len(found) < WHITELIST:
        found[_random_seq(rng, 16)] = None
    return list(found)


def droplets() -> list[Cell]:
    """The real cells (first CELLS; cells 1-10 type A, 11-20 type B) and then the empty droplets."""
    rng = random.Random("droplets")
    barcodes = rng.sample(whitelist(), CELLS + AMBIENT)
    all_genes = [g.gene_id for g in syn.genes()]
    cells = []
    for index, barcode in enumerate(barcodes):
        if index < CELLS:
            kind = "A" if index < CELLS // 2 else "B"
            genes, total = TYPE_GENES[kind], rng.randint(*UMIS_PER_CELL)
        else:
            kind, genes, total = "", all_genes, rng.randint(*UMIS_PER_EMPTY)
        umis: dict[str, int] = {}
        for _ in range(total):
            gene = rng.choice(genes)
            umis[gene] = umis.get(gene, 0) + 1
        cells.append(Cell(barcode, kind, umis))
    return cells


def write_sc_reference(folder: Path) -> dict[str, Path]:
    """The toy reference with GENCODE-style transcript FASTA headers (`>tx1|gene1|...|`), which the index step
    must reduce to the transcript id for the GTF's transcript-to-gene map to match, plus the whitelist."""
    reference = syn.write_reference(folder)
    ref = syn.genome()
    syn.write_fasta(reference["transcriptome"], {f"{g.transcript_id}|{g.gene_id}|-|-|{g.transcript_id}-201|"
                                                f"{g.gene_id}|900|protein_coding|": syn.transcript_seq(ref, g)
                                                for g in syn.genes()})
    path = folder / "whitelist.txt"
    path.write_text("\n".join(whitelist()) + "\n")
    return {**reference, "barcode_whitelist": path}


def sc_reads(folder: Path, sample: str = "pbmc_1") -> list[dict]:
    """One 10x sample: every planted UMI is sequenced 1-3 times (PCR duplicates share barcode and UMI)."""
    rng = random.Random(f"{sample}-10x")
    ref = syn.genome()
    transcripts = {g.gene_id: syn.transcript_seq(ref, g) for g in syn.genes()}
    pairs = []
    for cell in droplets():
        for gene, count in cell.umis.items():
            seq = transcripts[gene]
            for _ in range(count):
                umi = _random_seq(rng, 12)
                start = rng.randint(0, len(seq) - CDNA_LEN)  # one molecule, one fragment position
                for _ in range(rng.randint(1, 3)):
                    pairs.append((cell.barcode + umi + "T" * 10, seq[start:start + CDNA_LEN]))
    rng.shuffle(pairs)
    folder.mkdir(parents=True, exist_ok=True)
    r1, r2 = folder / f"{sample}_R1.fastq.gz", folder / f"{sample}_R2.fastq.gz"
    with gzip.open(r1, "wt") as h1, gzip.open(r2, "wt") as h2:
        for n, (m1, m2) in enumerate(pairs):
            h1.write(f"@{sample}:{n} 1:N:0\n{m1}\n+\n{'F' * len(m1)}\n")
            h2.write(f"@{sample}:{n} 2:N:0\n{m2}\n+\n{'F' * len(m2)}\n")
    return [{"sample": sample, "fq1": str(r1), "fq2": str(r2)}]


def fusion_breakpoint() -> tuple[str, int, str, int]:
    """(donor contig, last base of the 5' partner's exon 1, acceptor contig, first base of the 3' partner's exon 2),
    1-based."""
    genes = {g.gene_id: g for g in syn.genes()}
    five, three = genes[FUSION_5P], genes[FUSION_3P]
    return five.contig, five.exons[0][1], three.contig, three.exons[1][0]


def fusion_reads(folder: Path, sample: str = "patient_1", per_gene: int = 100) -> list[dict]:
    """Paired-end RNA-seq of every toy transcript plus FUSION_READS fragments of the fusion transcript."""
    rng = random.Random(f"{sample}-fusion")
    ref = syn.genome()
    genes = {g.gene_id: g for g in syn.genes()}
    five, three = genes[FUSION_5P], genes[FUSION_3P]
    fusion = (ref[five.contig][five.exons[0][0] - 1:five.exons[0][1]]
              + ref[three.contig][three.exons[1][0] - 1:three.exons[1][1]])
    pairs = []
    for gene in genes.values():
        pairs += list(syn._pairs(syn.transcript_seq(ref, gene), per_gene, rng))
    pairs += list(syn._pairs(fusion, FUSION_READS, rng))
    rng.shuffle(pairs)
    r1, r2 = syn.write_reads(folder, sample, pairs)
    return [{"sample": sample, "fq1": str(r1), "fq2": str(r2)}]
