"""A toy bacterial outbreak with a known tree: six isolates mapped against the 50 kb synthetic reference of
synthetic.py (its two contigs stand for a chromosome and a plasmid).

Planted substitutions (seeded, every run the same), by the branch of the tree that carries them:
- ROOT: shared by every isolate against the reference (the reference is an outgroup of the outbreak);
- CLADE_A {isolate_1, isolate_2, isolate_3} and CLADE_B {isolate_4, isolate_5, isolate_6};
- PAIR {isolate_1, isolate_2}: a transmission pair, PAIR_DISTANCE (1) SNP apart (isolate_1's private SNP);
- private SNPs of each isolate (PRIVATE).
Two more things a real outbreak has:
- RECOMBINANT: isolate_6 carries a 2 kb segment imported from a divergent donor (RECOMBINANT_SNPS substitutions in
  RECOMBINATION); Gubbins should mask it, so the SNP distances count only the vertical substitutions;
- MISSING: isolate_5 has no reads over a 600 bp region (a deletion in that isolate): its pseudogenome is N there.
No planted SNP lies in either region or near a contig end; planted SNPs are at least 60 bp apart (25 bp in the
recombinant segment).
Reads: ~30x paired 75 bp reads per isolate (synthetic.py's simulator, 0.1% errors), fragment starts stratified.
"""

from __future__ import annotations

import random
from itertools import combinations
from pathlib import Path

from biopipelines.library.testdata import synthetic as syn

ISOLATES = [f"isolate_{n}" for n in range(1, 7)]
CLADE_A = {"isolate_1", "isolate_2", "isolate_3"}
CLADE_B = {"isolate_4", "isolate_5", "isolate_6"}
PAIR = {"isolate_1", "isolate_2"}
PAIR_DISTANCE = 1
PRIVATE = {"isolate_1": 1, "isolate_2": 0, "isolate_3": 5, "isolate_4": 6, "isolate_5": 7, "isolate_6": 4}
BRANCHES = {"root": (8, set(ISOLATES)), "clade_a": (12, CLADE_A), "clade_b": (12, CLADE_B), "pair": (4, PAIR),
            **{f"private_{s}": (n, {s}) for s, n in PRIVATE.items()}}
RECOMBINANT = "isolate_6"
RECOMBINATION = ("chr1", 20_001, 22_000)  # 1-based inclusive
RECOMBINANT_SNPS = 25
MISSING_SAMPLE = "isolate_5"
MISSING = ("chr2", 5_001, 5_600)  # 1-based inclusive: no reads of isolate_5 overlap it
DEPTH = 30
CLUSTER_THRESHOLD = 5  # SNPs: the planted pair is the only cluster at this threshold
REFERENCE_NAME = "reference"


def _forbidden(contig: str, pos: int) -> bool:
    for region in (RECOMBINATION, MISSING):
        if contig == region[0] and region[1] - 300 <= pos <= region[2] + 300:
            return True
    return pos < 400 or pos > syn.CONTIGS[contig] - 400


def _sites(count: int, rng: random.Random, taken: list[tuple[str, int]], allowed,
           spacing: int = 60) -> list[tuple[str, int]]:
    sites = []
    while len(sites) < count:
        contig = rng.choice(sorted(syn.CONTIGS))
        pos = rng.randint(1, syn.CONTIGS[contig])
        if not allowed(contig, pos) or any(c == contig and abs(p - pos) < spacing for c, p in taken + sites):
            continue
        sites.append((contig, pos))
    return sites


def planted() -> tuple[dict[tuple[str, int], str], dict[tuple[str, int], set[str]], list[tuple[str, int]]]:
    """(alt base of each planted site, the isolates that carry it, the recombinant sites of isolate_6)."""
    rng = random.Random("outbreak")
    ref = syn.genome()
    carriers: dict[tuple[str, int], set[str]] = {}
    for name in sorted(BRANCHES):
        count, isolates = BRANCHES[name]
        for site in _sites(count, rng, list(carriers), lambda c, p: not _forbidden(c, p)):
            carriers[site] = set(isolates)
    contig, start, end = RECOMBINATION
    recombinant = _sites(RECOMBINANT_SNPS, random.Random("donor"), [],
                         lambda c, p: c == contig and start + 20 <= p <= end - 20, spacing=25)
    alts = {}
    for site in list(carriers) + recombinant:
        base = ref[site[0]][site[1] - 1]
        alts[site] = rng.choice([b for b in syn.BASES if b != base])
    return alts, carriers, sorted(recombinant)


def isolate_genome(sample: str) -> dict[str, str]:
    alts, carriers, recombinant = planted()
    seqs = {name: list(seq) for name, seq in syn.genome().items()}
    sites = [s for s, who in carriers.items() if sample in who] + (recombinant if sample == RECOMBINANT else [])
    for contig, pos in sites:
        seqs[contig][pos - 1] = alts[(contig, pos)]
    return {name: "".join(seq) for name, seq in seqs.items()}


def distances() -> dict[frozenset[str], int]:
    """Planted pairwise SNP distances over the vertical (non-recombinant) substitutions."""
    _, carriers, _ = planted()
    return {frozenset((a, b)): sum((a in who) != (b in who) for who in carriers.values())
            for a, b in combinations(ISOLATES, 2)}


def isolate_reads(folder: Path, sample: str, paired: bool = True) -> tuple[Path, Path | None]:
    """~DEPTH x pairs whose fragment starts are stratified along each contig (one per equal slot, placed at random
    inside it): coverage stays close to DEPTH everywhere, so no planted site falls below the pseudogenome's depth
    threshold by chance (uniform starts left an 8x dip at 40x in one isolate)."""
    rng = random.Random(f"{sample}-outbreak")
    pairs = []
    for contig, seq in isolate_genome(sample).items():
        count = len(seq) * DEPTH // (2 * syn.READ_LEN)
        slot = (len(seq) - syn.FRAGMENT - 80) / count
        starts = [int((n + rng.random()) * slot) for n in range(count)]
        if sample == MISSING_SAMPLE and contig == MISSING[0]:
            # no fragment overlaps the missing region (a deletion in this isolate)
            starts = [x for x in starts if x + syn.FRAGMENT + 80 < MISSING[1] - 1 or x > MISSING[2]]
        pairs += list(syn._pairs(seq, len(starts), rng, starts))
    return syn.write_reads(folder, sample, pairs, paired)


def outbreak_reads(folder: Path, paired: bool = True) -> list[dict]:
    rows = []
    for sample in ISOLATES:
        r1, r2 = isolate_reads(folder, sample, paired)
        rows.append({"sample": sample, "fq1": str(r1), "fq2": str(r2 or "")})
    return rows
