"""Synthetic data with a planted truth for the Hi-C and somatic execution tests (seeded, so every run is the same).

Hi-C: read pairs from the toy genome of synthetic.py. Background contacts follow a distance decay (most pairs
close on the diagonal, a few percent between chromosomes); on top, a planted contact between two loci 20 kb apart
on chr1 (CONTACT), exact duplicate pairs (DUPLICATES) and pairs of random sequence that map nowhere (UNMAPPED).
Each mate is a 75 bp read whose 5' end is the ligation side's position, as in a real Hi-C library.

Somatic: a tumour and its matched normal from the same (SNV-carrying) genome; the tumour also carries a
heterozygous somatic SNV (SOMATIC_SNV) the normal lacks.

A shared test dataset (like nf-core's test-datasets): tests/modules/workflows/ (hic_somatic.py) runs
workflows on it, and several modules' checks (library/modules/<id>/test/check.py) compare their outputs
with its planted truth.
"""

from __future__ import annotations

import random
from pathlib import Path

from biopipelines.library.testdata import synthetic as syn

BIN = 1_000  # the base resolution the Hi-C test runs at
CONTACT = (("chr1", 5_000, 6_000), ("chr1", 25_000, 26_000))  # two 1 kb bins, planted in contact
CONTACT_PAIRS = 300
BACKGROUND_PAIRS = 12_000
TRANS_FRACTION = 0.05
DUPLICATES = 250
UNMAPPED = 150
SOMATIC_SNV = ("chr2", 6_001)  # 1-based; heterozygous in the tumour only


def _side(seq: str, pos: int, strand: str) -> str | None:
    """The read whose 5' end is at 0-based `pos`: forward from it, or reverse-complemented ending at it."""
    if strand == "+":
        read = seq[pos:pos + syn.READ_LEN]
    else:
        read = syn.revcomp(seq[max(0, pos - syn.READ_LEN + 1):pos + 1])
    return read if len(read) == syn.READ_LEN else None


def _pair(ref: dict[str, str], rng: random.Random, a: tuple[str, int], b: tuple[str, int]):
    m1 = _side(ref[a[0]], a[1], rng.choice("+-"))
    m2 = _side(ref[b[0]], b[1], rng.choice("+-"))
    if m1 is None or m2 is None:
        return None
    return syn._mutate(m1, rng), syn._mutate(m2, rng)


def _background(ref: dict[str, str], rng: random.Random):
    names = list(ref)
    weights = [len(ref[n]) for n in names]
    while True:
        contig = rng.choices(names, weights)[0]
        if rng.random() < TRANS_FRACTION:
            other = next(n for n in names if n != contig)
            yield (contig, rng.randrange(len(ref[contig]))), (other, rng.randrange(len(ref[other])))
            continue
        pos1 = rng.randrange(len(ref[contig]))
        distance = int(300 * rng.paretovariate(0.6))  # contact probability falls with genomic distance
        pos2 = pos1 + distance if rng.random() < 0.5 else pos1 - distance
        if 0 <= pos2 < len(ref[contig]):
            yield (contig, pos1), (contig, pos2)


def hic_reads(folder: Path) -> list[dict]:
    """One Hi-C library, hic_1."""
    ref = syn.genome()
    rng = random.Random("hic_1")
    pairs = []
    loci = _background(ref, rng)
    while len(pairs) < BACKGROUND_PAIRS:
        made = _pair(ref, rng, *next(loci))
        if made:
            pairs.append(made)
    (c1, s1, e1), (c2, s2, e2) = CONTACT
    planted = 0
    while planted < CONTACT_PAIRS:
        made = _pair(ref, rng, (c1, rng.randrange(s1 + 100, e1 - 100)), (c2, rng.randrange(s2 + 100, e2 - 100)))
        if made:
            pairs.append(made)
            planted += 1
    pairs += rng.sample(pairs, DUPLICATES)  # the same molecules read twice (PCR duplicates)
    for _ in range(UNMAPPED):
        pairs.append(tuple("".join(rng.choice(syn.BASES) for _ in range(syn.READ_LEN)) for _ in range(2)))
    rng.shuffle(pairs)
    r1, r2 = syn.write_reads(folder, "hic_1", pairs)
    return [{"sample": "hic_1", "fq1": str(r1), "fq2": str(r2)}]


def somatic_snv_ref() -> str:
    contig, pos = SOMATIC_SNV
    return syn.variant_genome()[contig][pos - 1]


def somatic_snv_alt() -> str:
    return syn.BASES[(syn.BASES.index(somatic_snv_ref()) + 2) % 4]


def tumour_normal_reads(folder: Path, depth: int = 30) -> list[dict]:
    """patient1_tumour (half its fragments carry SOMATIC_SNV) and patient1_normal; both carry the germline SNV."""
    germline = syn.variant_genome()
    contig, pos = SOMATIC_SNV
    seq = germline[contig]
    tumour = {**germline, contig: seq[:pos - 1] + somatic_snv_alt() + seq[pos:]}
    rows = []
    for sample in ("patient1_tumour", "patient1_normal"):
        rng = random.Random(f"{sample}-somatic")
        pairs = []
        for name in germline:
            count = len(germline[name]) * depth // (2 * syn.READ_LEN)
            for n in range(count):
                source = tumour if sample.endswith("tumour") and n % 2 else germline
                pairs += list(syn._pairs(source[name], 1, rng))
        r1, r2 = syn.write_reads(folder, sample, pairs)
        rows.append({"sample": sample, "control": "patient1_normal" if sample.endswith("tumour") else "",
                     "fq1": str(r1), "fq2": str(r2)})
    return rows
