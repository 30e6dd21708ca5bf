"""Synthetic metagenomes and amplicon runs with a planted truth (seeded, so every run is the same).

Shotgun profiling: three toy microbial genomes under a minimal NCBI-style taxonomy (root > Bacteria > two genera >
three species) built into a real Kraken2 database with kraken2-build, a toy host genome, and paired reads that mix
two of the species in known proportions (80/20 in sample_1, 20/80 in sample_2) plus a known share of host reads.
Read names carry their origin (`host_...`, `mic<taxid>_...`) so host removal can be checked read by read.

Amplicons: four 16S-like variants (two pairs of close relatives) between 515F/806R primer sites, sequenced as
overlapping 2x200 pairs with quality-dependent substitution errors in known per-sample proportions, plus a
chimera of variants A and C; a SINTAX reference with the planted taxonomy of the four variants.

A shared test dataset (like nf-core's test-datasets): tests/modules/workflows/ (metagenomics.py) runs
workflows on it, and several modules' checks (library/modules/<id>/test/check.py) compare their outputs
with its planted truth.
"""

from __future__ import annotations

import gzip
import random
import subprocess
from pathlib import Path

BASES = "ACGT"
COMPLEMENT = str.maketrans("ACGT", "TGCA")

# -- shotgun profiling -------------------------------------------------------------------------------------------
# taxid: (parent, rank, name)
TAXONOMY = {
    1: (1, "no rank", "root"),
    2: (1, "superkingdom", "Bacteria"),
    100: (2, "genus", "Alphagenus"),
    200: (2, "genus", "Betagenus"),
    1001: (100, "species", "Alphagenus primus"),
    1002: (100, "species", "Alphagenus secundus"),
    2001: (200, "species", "Betagenus tertius"),
}
GENOME_LEN = 20_000
HOST_LEN = 30_000
MAJOR, MINOR, DECOY = 1001, 2001, 1002  # planted species; the decoy is in the database but not in the reads
MIXTURE = {"sample_1": {MAJOR: 0.8, MINOR: 0.2}, "sample_2": {MAJOR: 0.2, MINOR: 0.8}}
MICROBIAL_PAIRS = 2_000
HOST_PAIRS = 1_000
PROFILE_READ_LEN = 100
PROFILE_FRAGMENT = 250


def revcomp(seq: str) -> str:
    return seq.translate(COMPLEMENT)[::-1]


def _random_seq(rng: random.Random, length: int) -> str:
    return "".join(rng.choice(BASES) for _ in range(length))


def microbial_genomes() -> dict[int, str]:
    rng = random.Random(11)
    return {taxid: _random_seq(rng, GENOME_LEN) for taxid in (MAJOR, DECOY, MINOR)}


def host_genome() -> str:
    return _random_seq(random.Random(12), HOST_LEN)


def _mutate(seq: str, rng: random.Random, rate: float = 0.002) -> str:
    return "".join(rng.choice(BASES.replace(b, "")) if rng.random() < rate else b for b in seq)


def _fastq(handle, name: str, seq: str) -> None:
    handle.write(f"@{name}\n{seq}\n+\n{'I' * len(seq)}\n")


def build_kraken2_db(folder: Path) -> Path:
    """A real Kraken2 database of the three toy genomes (kraken:taxid headers, taxonomy written by hand)."""
    db = folder / "kraken2_db"
    (db / "taxonomy").mkdir(parents=True, exist_ok=True)
    with (db / "taxonomy" / "nodes.dmp").open("w") as nodes, (db / "taxonomy" / "names.dmp").open("w") as names:
        for taxid, (parent, rank, name) in TAXONOMY.items():
            nodes.write(f"{taxid}\t|\t{parent}\t|\t{rank}\t|\t\t|\n")
            names.write(f"{taxid}\t|\t{name}\t|\t\t|\tscientific name\t|\n")
    library = folder / "library.fa"
    library.write_text("".join(f">genome{t}|kraken:taxid|{t}\n{s}\n" for t, s in microbial_genomes().items()))
    for args in (["--add-to-library", str(library)], ["--build", "--threads", "2"]):
        subprocess.run(["kraken2-build", *args, "--db", str(db)], check=True, capture_output=True, text=True)
    return db


def write_profiling_reference(folder: Path) -> dict[str, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    host = folder / "host.fa"
    host.write_text(f">host_chr1\n{host_genome()}\n")
    return {"host_fasta": host, "kraken2_db": build_kraken2_db(folder)}


def _pair(template: str, rng: random.Random) -> tuple[str, str]:
    start = rng.randrange(0, len(template) - PROFILE_FRAGMENT)
    fragment = template[start:start + PROFILE_FRAGMENT]
    if rng.random() < 0.5:
        fragment = revcomp(fragment)
    return (_mutate(fragment[:PROFILE_READ_LEN], rng),
            _mutate(revcomp(fragment)[:PROFILE_READ_LEN], rng))


def profiling_reads(folder: Path) -> list[dict]:
    """Per sample: MICROBIAL_PAIRS pairs split by MIXTURE and HOST_PAIRS host pairs, shuffled."""
    folder.mkdir(parents=True, exist_ok=True)
    genomes, host = microbial_genomes(), host_genome()
    rows = []
    for index, (sample, mixture) in enumerate(MIXTURE.items()):
        rng = random.Random(100 + index)
        origins = [("host", host)] * HOST_PAIRS
        for taxid, share in mixture.items():
            origins += [(f"mic{taxid}", genomes[taxid])] * round(MICROBIAL_PAIRS * share)
        rng.shuffle(origins)
        r1, r2 = folder / f"{sample}_R1.fastq.gz", folder / f"{sample}_R2.fastq.gz"
        with gzip.open(r1, "wt") as h1, gzip.open(r2, "wt") as h2:
            for number, (origin, template) in enumerate(origins):
                first, second = _pair(template, rng)
                _fastq(h1, f"{origin}_{number}/1", first)
                _fastq(h2, f"{origin}_{number}/2", second)
        rows.append({"sample": sample, "fq1": str(r1), "fq2": str(r2)})
    return rows


# -- amplicons ---------------------------------------------------------------------------------------------------
FORWARD_PRIMER = "GTGCCAGCAGCCGCGGTAA"  # one instance of 515F GTGYCAGCMGCCGCGGTAA
REVERSE_PRIMER = "GGACTACCAGGGTATCTAAT"  # one instance of 806R GGACTACNVGGGTWTCTAAT
INSERT_LEN = 230
AMPLICON_READ_LEN = 200
AMPLICON_PAIRS = 2_500
CHIMERA_SHARE = 0.012
# variant: (share in sample_1, share in sample_2), before the chimera share is taken out
ABUNDANCE = {"A": (0.40, 0.10), "B": (0.30, 0.20), "C": (0.20, 0.30), "D": (0.10, 0.40)}
TAXA = {
    "A": "d:Bacteria,p:Firmicutes,c:Bacilli,o:Bacillales,f:Bacillaceae,g:Bacillus,s:Bacillus_alpha",
    "B": "d:Bacteria,p:Firmicutes,c:Bacilli,o:Bacillales,f:Bacillaceae,g:Bacillus,s:Bacillus_beta",
    "C": "d:Bacteria,p:Proteobacteria,c:Gammaproteobacteria,o:Enterobacterales,f:Enterobacteriaceae,"
         "g:Escherichia,s:Escherichia_gamma",
    "D": "d:Bacteria,p:Proteobacteria,c:Gammaproteobacteria,o:Enterobacterales,f:Enterobacteriaceae,"
         "g:Escherichia,s:Escherichia_delta",
}
AMPLICON_SAMPLES = ("sample_1", "sample_2")


def _substitute(seq: str, rng: random.Random, count: int) -> str:
    bases = list(seq)
    for position in rng.sample(range(20, len(seq) - 20), count):
        bases[position] = rng.choice(BASES.replace(bases[position], ""))
    return "".join(bases)


def variants() -> dict[str, str]:
    """The planted sequences between the primers (what the ASVs must be): A/B and C/D are close relatives."""
    rng = random.Random(21)
    a, c = _random_seq(rng, INSERT_LEN), _random_seq(rng, INSERT_LEN)
    return {"A": a, "B": _substitute(a, rng, 8), "C": c, "D": _substitute(c, rng, 6)}


def chimera() -> str:
    """A PCR chimera: the first half of A joined to the second half of C."""
    seqs = variants()
    return seqs["A"][:INSERT_LEN // 2] + seqs["C"][INSERT_LEN // 2:]


def expected_shares(sample: str) -> dict[str, float]:
    """Each planted variant's share of the non-chimeric reads of the sample."""
    column = AMPLICON_SAMPLES.index(sample)
    return {name: shares[column] for name, shares in ABUNDANCE.items()}


def _sequenced(seq: str, rng: random.Random) -> tuple[str, str]:
    """One read with Illumina-like qualities (falling along the read) and errors drawn from them."""
    bases, quals = [], []
    for index, base in enumerate(seq):
        top = 38 - 10 * index // len(seq)
        q = max(12, min(40, int(rng.gauss(top, 3))))
        if rng.random() < 10 ** (-q / 10):
            base = rng.choice(BASES.replace(base, ""))
        bases.append(base)
        quals.append(chr(33 + q))
    return "".join(bases), "".join(quals)


def amplicon_reads(folder: Path) -> list[dict]:
    folder.mkdir(parents=True, exist_ok=True)
    seqs = variants()
    rows = []
    for index, sample in enumerate(AMPLICON_SAMPLES):
        rng = random.Random(300 + index)
        shares = expected_shares(sample)
        chimeras = round(AMPLICON_PAIRS * CHIMERA_SHARE)
        origins = [chimera()] * chimeras
        for name, share in shares.items():
            origins += [seqs[name]] * round((AMPLICON_PAIRS - chimeras) * share)
        rng.shuffle(origins)
        r1, r2 = folder / f"{sample}_R1.fastq.gz", folder / f"{sample}_R2.fastq.gz"
        with gzip.open(r1, "wt") as h1, gzip.open(r2, "wt") as h2:
            for number, insert in enumerate(origins):
                amplicon = FORWARD_PRIMER + insert + revcomp(REVERSE_PRIMER)
                for handle, template in ((h1, amplicon), (h2, revcomp(amplicon))):
                    seq, qual = _sequenced(template[:AMPLICON_READ_LEN], rng)
                    handle.write(f"@{sample}_{number}\n{seq}\n+\n{qual}\n")
        rows.append({"sample": sample, "fq1": str(r1), "fq2": str(r2)})
    return rows


def write_sintax_db(folder: Path) -> dict[str, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "sintax_db.fa"
    path.write_text("".join(f">ref{name};tax={TAXA[name]};\n{seq}\n" for name, seq in variants().items()))
    return {"sintax_db": path}
