"""Synthetic data for the long-read and assembly execution tests (seeded, so every run is the same).

- long reads (5-10 kb, ~5% substitution/insertion/deletion errors, both strands) from the shared two-contig genome
  carrying the homozygous SNV and the 1 kb deletion of synthetic.py (SNV, DELETION);
- a 50 kb single-chromosome toy "bacterium" with PLANTED_GENES real-looking genes (ribosome-binding site, ATG,
  codons with no in-frame stop, TAA) on both strands, so gene finders have something true to find, and
  a small Prokka protein database that names them;
- Illumina-like paired reads (synthetic.py's simulator) and long reads of that bacterium for the assemblers.

A shared test dataset (like nf-core's test-datasets): tests/modules/workflows/ (longread_assembly.py) runs
workflows on it, and several modules' checks (library/modules/<id>/test/check.py) compare their outputs
with its planted truth.
"""

from __future__ import annotations

import gzip
import random
import subprocess
from pathlib import Path

from biopipelines.library.testdata import synthetic as syn

BACTERIUM_LENGTH = 50_000
PLANTED_GENES = 5
GENE_PRODUCT = "Planted test protein"  # product names: "Planted test protein 1" ...
CODONS = [a + b + c for a in "ACGT" for b in "ACGT" for c in "ACGT" if a + b + c not in ("TAA", "TAG", "TGA")]
AMINO = {  # the standard genetic code, for translating the planted genes
    "TTT": "F", "TTC": "F", "TTA": "L", "TTG": "L", "CTT": "L", "CTC": "L", "CTA": "L", "CTG": "L",
    "ATT": "I", "ATC": "I", "ATA": "I", "ATG": "M", "GTT": "V", "GTC": "V", "GTA": "V", "GTG": "V",
    "TCT": "S", "TCC": "S", "TCA": "S", "TCG": "S", "CCT": "P", "CCC": "P", "CCA": "P", "CCG": "P",
    "ACT": "T", "ACC": "T", "ACA": "T", "ACG": "T", "GCT": "A", "GCC": "A", "GCA": "A", "GCG": "A",
    "TAT": "Y", "TAC": "Y", "CAT": "H", "CAC": "H", "CAA": "Q", "CAG": "Q", "AAT": "N", "AAC": "N",
    "AAA": "K", "AAG": "K", "GAT": "D", "GAC": "D", "GAA": "E", "GAG": "E", "TGT": "C", "TGC": "C",
    "TGG": "W", "CGT": "R", "CGC": "R", "CGA": "R", "CGG": "R", "AGT": "S", "AGC": "S", "AGA": "R",
    "AGG": "R", "GGT": "G", "GGC": "G", "GGA": "G", "GGG": "G",
}


def _genes(rng: random.Random) -> list[str]:
    """Coding sequences (ATG ... TAA) of 250-400 codons."""
    return ["ATG" + "".join(rng.choice(CODONS) for _ in range(rng.randint(250, 400))) + "TAA"
            for _ in range(PLANTED_GENES)]


def translate(cds: str) -> str:
    return "".join(AMINO[cds[i:i + 3]] for i in range(0, len(cds) - 3, 3))


def bacterium() -> tuple[str, list[str]]:
    """The toy chromosome and its planted coding sequences (forward-strand copies)."""
    rng = random.Random("bacterium")
    genes = _genes(rng)
    seq = "".join(rng.choice(syn.BASES) for _ in range(BACTERIUM_LENGTH))
    spacing = BACTERIUM_LENGTH // (PLANTED_GENES + 1)
    for index, cds in enumerate(genes):
        unit = "AGGAGG" + "TAACAT" + cds  # Shine-Dalgarno box 8 bp upstream of the start codon
        unit = unit if index % 2 == 0 else syn.revcomp(unit)  # genes on both strands
        start = spacing * (index + 1) - len(unit) // 2
        seq = seq[:start] + unit + seq[start + len(unit):]
    assert len(seq) == BACTERIUM_LENGTH
    return seq, genes


def write_bacterium(folder: Path) -> Path:
    return syn.write_fasta(folder / "bacterium.fa", {"chromosome": bacterium()[0]})


def write_prokka_db(folder: Path) -> Path:
    """A Prokka --dbdir whose UniProt stand-in (kingdom/Bacteria/sprot) holds the planted proteins. Debian's Prokka
    ships without the non-free UniProt and HMM databases (README.Debian), so the test brings its own."""
    sprot = folder / "kingdom" / "Bacteria" / "sprot"
    sprot.parent.mkdir(parents=True, exist_ok=True)
    with sprot.open("w") as handle:
        for index, cds in enumerate(bacterium()[1], 1):
            # Prokka's header convention: >ID EC~~~gene~~~product~~~COG
            handle.write(f">PLANT{index} ~~~plt{chr(64 + index)}~~~{GENE_PRODUCT} {index}~~~\n{translate(cds)}\n")
    subprocess.run(["makeblastdb", "-dbtype", "prot", "-in", str(sprot)], check=True, capture_output=True)
    return folder


def draft_bacterium(error: float = 0.02) -> str:
    """The toy chromosome with `error` per-base errors: a stand-in for an unpolished long-read draft assembly."""
    return _long_read(bacterium()[0], random.Random("draft"), error)


def _long_read(template: str, rng: random.Random, error: float = 0.05) -> str:
    """A read with `error` per-base errors: 40% substitutions, 30% insertions, 30% deletions."""
    out = []
    for base in template:
        roll = rng.random()
        if roll >= error:
            out.append(base)
        elif roll < 0.4 * error:
            out.append(rng.choice([b for b in syn.BASES if b != base]))
        elif roll < 0.7 * error:
            out += [base, rng.choice(syn.BASES)]
        # else: deleted
    return "".join(out)


def long_reads(seqs: dict[str, str], depth: int, rng: random.Random) -> list[str]:
    reads = []
    for seq in seqs.values():
        total = 0
        while total < depth * len(seq):
            size = min(rng.randint(5_000, 10_000), len(seq))
            start = rng.randint(0, len(seq) - size)
            fragment = seq[start:start + size]
            reads.append(_long_read(fragment if rng.random() < 0.5 else syn.revcomp(fragment), rng))
            total += size
    rng.shuffle(reads)
    return reads


def write_long_reads(folder: Path, sample: str, reads: list[str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{sample}.fastq.gz"
    with gzip.open(path, "wt") as handle:
        for n, read in enumerate(reads):
            handle.write(f"@{sample}_{n}\n{read}\n+\n{'/' * len(read)}\n")  # Q14 throughout
    return path


def variant_long_reads(folder: Path, depth: int = 25) -> list[dict]:
    """One sample from the genome with the homozygous SNV and 1 kb deletion."""
    path = write_long_reads(folder, "sample_1", long_reads(syn.deleted_genome(), depth, random.Random("ont-var")))
    return [{"sample": "sample_1", "fq1": str(path)}]


def bacterium_long_reads(folder: Path, depth: int = 30) -> list[dict]:
    path = write_long_reads(folder, "isolate_1", long_reads({"chromosome": bacterium()[0]}, depth,
                                                            random.Random("ont-asm")))
    return [{"sample": "isolate_1", "fq1": str(path)}]


def bacterium_short_reads(folder: Path, depth: int = 50, read_len: int = 150, fragment: int = 400) -> list[dict]:
    """2x150 bp pairs (0.1% substitutions) at ~`depth`x: assemblers need reads of today's length, since their
    largest k-mers approach the read length (Unicycler goes up to 95% of it)."""
    seq = bacterium()[0]
    rng = random.Random("illumina-asm")
    folder.mkdir(parents=True, exist_ok=True)
    r1, r2 = folder / "isolate_1_R1.fastq.gz", folder / "isolate_1_R2.fastq.gz"
    qual = "I" * read_len
    with gzip.open(r1, "wt") as h1, gzip.open(r2, "wt") as h2:
        for n in range(len(seq) * depth // (2 * read_len)):
            size = int(rng.gauss(fragment, 30))
            start = rng.randint(0, len(seq) - size)
            piece = seq[start:start + size]
            if rng.random() < 0.5:  # fragments from both strands
                piece = syn.revcomp(piece)
            m1, m2 = syn._mutate(piece[:read_len], rng), syn._mutate(syn.revcomp(piece[-read_len:]), rng)
            h1.write(f"@isolate_1:{n}/1\n{m1}\n+\n{qual}\n")
            h2.write(f"@isolate_1:{n}/2\n{m2}\n+\n{qual}\n")
    return [{"sample": "isolate_1", "fq1": str(r1), "fq2": str(r2)}]


def count_fastq(path: Path) -> tuple[int, list[int]]:
    """Number of reads and their lengths."""
    opener = gzip.open if str(path).endswith(".gz") else open
    with opener(path, "rt") as handle:
        lengths = [len(line.strip()) for n, line in enumerate(handle) if n % 4 == 1]
    return len(lengths), lengths
