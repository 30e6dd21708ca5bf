"""A tiny germline cohort VCF for the sample identity checks (sex, relatedness) of germline_variants (seeded, <1 s).

Eight exome-like samples genotyped jointly (chr1-chr3 autosomes, chrX as GRCh38 names it), written as the
filtered cohort VCF a germline workflow makes. Planted truth:
- DUPLICATE_PAIR: the same DNA sequenced twice under two names (1% of calls differ): KING kinship ~0.5;
- PARENT_CHILD: the child carries one allele of each genotype from the parent, the other from the population:
  kinship ~0.25 (first degree);
- every other pair is unrelated (kinship ~0);
- MALES are hemizygous on chrX outside the pseudo-autosomal regions (homozygous calls, as GATK writes them),
  females follow Hardy-Weinberg there; PAR1 variants are heterozygous in both sexes (--split-x must set them apart);
- the sample sheet records SWAPPED_SAMPLE (a male by its genotypes) as female: the one sex mismatch.
"""

from __future__ import annotations

import gzip
import random
from pathlib import Path

SEED = 17
SAMPLES = [f"ex{i}" for i in range(1, 9)]
DUPLICATE_PAIR = ("ex1", "ex2")
PARENT_CHILD = ("ex3", "ex4")  # parent, child
MALES = {"ex1", "ex2", "ex5", "ex7"}  # the duplicate pair is one man sequenced twice
SWAPPED_SAMPLE = "ex7"  # genetically male, recorded female
AUTOSOMAL = {"chr1": 900, "chr2": 800, "chr3": 700}  # SNVs per chromosome, 30 kb apart
X_VARIANTS = 300  # non-PAR chrX SNVs (an exome has a few hundred to a few thousand)
PAR_VARIANTS = 20  # in PAR1 (GRCh38 chrX:10,001-2,781,479)


def recorded_sex() -> dict[str, str]:
    """The sample sheet's sex column: the true sex, except the swapped sample."""
    sexes = {s: ("male" if s in MALES else "female") for s in SAMPLES}
    sexes[SWAPPED_SAMPLE] = "female"
    return sexes


def _pair(p: float, rng: random.Random) -> list[int]:
    return [int(rng.random() < p), int(rng.random() < p)]


def cohort(seed: int = SEED) -> tuple[list[tuple[str, int]], dict[str, list[str]]]:
    """Variants (chromosome, position) and each sample's genotype strings."""
    rng = random.Random(seed)
    variants: list[tuple[str, int]] = []
    calls: dict[str, list[str]] = {s: [] for s in SAMPLES}
    text = {0: "0/0", 1: "0/1", 2: "1/1"}
    sites = [(c, (i + 1) * 30_000, "auto") for c, n in AUTOSOMAL.items() for i in range(n)]
    sites += [("chrX", 100_000 + i * 120_000, "par") for i in range(PAR_VARIANTS)]
    sites += [("chrX", 3_000_000 + i * 400_000, "x") for i in range(X_VARIANTS)]
    for chrom, pos, kind in sites:
        p = rng.uniform(0.15, 0.5)
        alleles: dict[str, list[int]] = {}
        for sample in SAMPLES:
            if sample == DUPLICATE_PAIR[1]:
                alleles[sample] = list(alleles[DUPLICATE_PAIR[0]])
                if rng.random() < 0.01:  # a few calls differ between the two runs
                    alleles[sample] = _pair(p, rng)
            elif sample == PARENT_CHILD[1] and kind != "x":
                alleles[sample] = [rng.choice(alleles[PARENT_CHILD[0]]), int(rng.random() < p)]
            elif kind == "x" and sample in MALES:
                allele = int(rng.random() < p)
                alleles[sample] = [allele, allele]
            else:
                alleles[sample] = _pair(p, rng)
        if kind == "par" and not any(sum(alleles[s]) == 1 for s in MALES):
            alleles[sorted(MALES)[0]] = [0, 1]  # PAR1: at least one male heterozygous
        variants.append((chrom, pos))
        for sample in SAMPLES:
            calls[sample].append(text[sum(alleles[sample])])
    return variants, calls


def write_vcf(path: Path, seed: int = SEED) -> Path:
    """The cohort as a bgzip-free gzipped VCF (REF C, ALT T; every record PASS)."""
    variants, calls = cohort(seed)
    lines = ["##fileformat=VCFv4.2", '##FILTER=<ID=PASS,Description="All filters passed">',
             '##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">',
             *(f"##contig=<ID={c}>" for c in (*AUTOSOMAL, "chrX")),
             "\t".join(["#CHROM", "POS", "ID", "REF", "ALT", "QUAL", "FILTER", "INFO", "FORMAT", *SAMPLES])]
    for j, (chrom, pos) in enumerate(variants):
        lines.append("\t".join([chrom, str(pos), ".", "C", "T", "50", "PASS", ".", "GT",
                                *(calls[s][j] for s in SAMPLES)]))
    path.parent.mkdir(parents=True, exist_ok=True)
    with gzip.open(path, "wt") as handle:
        handle.write("\n".join(lines) + "\n")
    return path


if __name__ == "__main__":  # a quick look: python -m biopipelines.library.testdata.synthetic_sample_identity x.vcf.gz
    import sys

    print(write_vcf(Path(sys.argv[1])))
