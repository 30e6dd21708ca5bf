"""A tiny case/control cohort for the GWAS workflow, written as a PLINK 1 binary fileset (seeded, ~1 s).

Planted truth (each one a QC or analysis step must find):
- two populations (allele frequencies differ by ~0.2), cases enriched in the second: PC1 must separate them;
- one causal variant (CAUSAL, allelic odds ratio ~3): the only genome-wide significant locus;
- LD_COPY: an exact copy of a neighbouring variant, which LD pruning must drop;
- MISSING_VARIANT (15% missing calls), HWE_VARIANT (every control heterozygous), RARE_VARIANT (MAF ~0.2%):
  removed by variant QC;
- LOW_CALL_SAMPLE (20% missing calls), HET_SAMPLE (heterozygous almost everywhere: a contaminated DNA),
  SEX_SAMPLE (recorded male, heterozygous on chrX): removed by sample QC;
- DUPLICATE_SAMPLE: a second copy of RELATIVE_OF's DNA under another ID: KING must remove one of the two.
"""

from __future__ import annotations

import gzip
import random
from pathlib import Path

SEED = 11
CASES_PER_POP = (110, 190)  # population 1, population 2: stratification the PCs must absorb
CONTROLS_PER_POP = (190, 110)
CHROMOSOMES = {"1": 700, "2": 700, "3": 600}  # autosomal variants per chromosome, 20 kb apart
X_VARIANTS = 150
CAUSAL = "2:7020000"  # chromosome 2, variant 351
LD_COPY = "1:4020000"  # copy of 1:4000000
MISSING_VARIANT, HWE_VARIANT, RARE_VARIANT = "3:1000000", "3:2000000", "3:3000000"
LOW_CALL_SAMPLE, HET_SAMPLE, SEX_SAMPLE = "s0005", "s0010", "s0015"
RELATIVE_OF, DUPLICATE_SAMPLE = "s0020", "dup_s0020"
PHENOTYPE = "t2d"


def _genotype(p: float, rng: random.Random) -> int:
    """Alt-allele count of a diploid genotype at alt-allele frequency p."""
    return (rng.random() < p) + (rng.random() < p)


def _variants(rng: random.Random) -> list[tuple[str, int, float, float]]:
    """(chromosome, position, alt frequency in population 1, in population 2)."""
    variants = []
    for chrom, count in CHROMOSOMES.items():
        for index in range(count):
            p = rng.uniform(0.1, 0.5)
            shift = rng.uniform(-0.2, 0.2)
            variants.append((chrom, (index + 1) * 20_000, p, min(0.95, max(0.05, p + shift))))
    for index in range(X_VARIANTS):
        p = rng.uniform(0.2, 0.5)
        variants.append(("23", (index + 1) * 50_000, p, p))
    return variants


def cohort(seed: int = SEED) -> dict:
    """Samples (id, sex, population, case), variants and a genotype matrix (None: missing)."""
    rng = random.Random(seed)
    variants = _variants(rng)
    ids = [f"v{i}" for i in range(len(variants))]
    names = [f"{c}:{pos}" for c, pos, _, _ in variants]
    samples = []
    for pop in (0, 1):
        for case in (1, 0):
            for _ in range((CASES_PER_POP if case else CONTROLS_PER_POP)[pop]):
                samples.append({"pop": pop, "case": case})
    rng.shuffle(samples)
    for index, sample in enumerate(samples):
        sample["id"] = f"s{index:04d}"
        sample["sex"] = rng.choice((1, 2))
    causal = names.index(CAUSAL)
    rows = []
    for sample in samples:
        row = []
        for j, (chrom, _, p1, p2) in enumerate(variants):
            p = p1 if sample["pop"] == 0 else p2
            if j == causal:  # alt allele ~3x the odds of being a case: sample genotype given status
                p = 0.45 if sample["case"] else 0.2
            if chrom == "23" and sample["sex"] == 1:
                row.append(2 * (rng.random() < p))  # hemizygous males: coded homozygous
            else:
                row.append(_genotype(p, rng))
        rows.append(row)
    _plant(samples, rows, names, rng)
    return {"samples": samples, "variants": variants, "names": names, "rows": rows}


def _plant(samples: list[dict], rows: list[list], names: list[str], rng: random.Random) -> None:
    index = {s["id"]: i for i, s in enumerate(samples)}
    copy_of = names.index(LD_COPY) - 1
    for row in rows:
        row[names.index(LD_COPY)] = row[copy_of]
        if rng.random() < 0.15:
            row[names.index(MISSING_VARIANT)] = None
        row[names.index(RARE_VARIANT)] = 0
    rows[0][names.index(RARE_VARIANT)] = 1
    for sample, row in zip(samples, rows):
        if not sample["case"]:
            row[names.index(HWE_VARIANT)] = 1
    low = rows[index[LOW_CALL_SAMPLE]]
    for j in rng.sample(range(len(low)), len(low) // 5):
        low[j] = None
    het = rows[index[HET_SAMPLE]]
    for j in range(len(het)):
        if rng.random() < 0.8:
            het[j] = 1
    sex = samples[index[SEX_SAMPLE]]
    sex["sex"] = 1  # recorded male ...
    for j, name in enumerate(names):
        if name.startswith("23:"):  # ... with a female's heterozygous chrX
            rows[index[SEX_SAMPLE]][j] = _genotype(0.4, rng) if rng.random() < 0.9 else 1
    relative = dict(samples[index[RELATIVE_OF]])
    samples.append({**relative, "id": DUPLICATE_SAMPLE})
    rows.append(list(rows[index[RELATIVE_OF]]))


def _bed_bytes(rows: list[list], n_variants: int) -> bytes:
    """SNP-major PLINK .bed: 2 bits a sample (00 hom A1=alt, 10 het, 11 hom A2=ref, 01 missing)."""
    code = {2: 0b00, 1: 0b10, 0: 0b11, None: 0b01}
    out = bytearray(b"\x6c\x1b\x01")
    for j in range(n_variants):
        for start in range(0, len(rows), 4):
            byte = 0
            for k, row in enumerate(rows[start:start + 4]):
                byte |= code[row[j]] << (2 * k)
            out.append(byte)
    return bytes(out)


def write_cohort(folder: Path, seed: int = SEED) -> dict[str, Path]:
    """cohort.bed/.bim/.fam, phenotypes.tsv (1 control, 2 case) and covariates.tsv (age, sex) under `folder`."""
    data = cohort(seed)
    rng = random.Random(seed + 1)
    folder.mkdir(parents=True, exist_ok=True)
    paths = {key: folder / name for key, name in (("bed", "cohort.bed"), ("bim", "cohort.bim"), ("fam", "cohort.fam"),
                                                  ("phenotypes", "phenotypes.tsv"), ("covariates", "covariates.tsv"))}
    paths["bed"].write_bytes(_bed_bytes(data["rows"], len(data["variants"])))
    paths["bim"].write_text("".join(f"{c}\t{name}\t0\t{pos}\tA\tG\n" for (c, pos, _, _), name
                                    in zip(data["variants"], [f"rs{i + 1}" for i in range(len(data["names"]))])))
    samples = data["samples"]
    paths["fam"].write_text("".join(f"{s['id']}\t{s['id']}\t0\t0\t{s['sex']}\t-9\n" for s in samples))
    paths["phenotypes"].write_text(f"FID\tIID\t{PHENOTYPE}\n" + "".join(
        f"{s['id']}\t{s['id']}\t{2 if s['case'] else 1}\n" for s in samples))
    paths["covariates"].write_text("FID\tIID\tage\tsex\n" + "".join(
        f"{s['id']}\t{s['id']}\t{round(rng.gauss(55, 8), 1)}\t{s['sex']}\n" for s in samples))
    return paths


def write_vcf(path: Path, seed: int = SEED) -> Path:
    """The same cohort as a gzipped VCF (REF G, ALT A; chrX as X). A VCF carries no sex: the covariate table does."""
    data = cohort(seed)
    calls = {0: "0/0", 1: "0/1", 2: "1/1", None: "./."}
    lines = ["##fileformat=VCFv4.2", '##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">',
             "\t".join(["#CHROM", "POS", "ID", "REF", "ALT", "QUAL", "FILTER", "INFO", "FORMAT",
                        *(s["id"] for s in data["samples"])])]
    for j, (chrom, pos, _, _) in enumerate(data["variants"]):
        genotypes = [calls[row[j]] for row in data["rows"]]
        lines.append("\t".join(["X" if chrom == "23" else chrom, str(pos), f"rs{j + 1}", "G", "A", ".", "PASS", ".",
                                "GT", *genotypes]))
    path.parent.mkdir(parents=True, exist_ok=True)
    with gzip.open(path, "wt") as handle:
        handle.write("\n".join(lines) + "\n")
    return path


def population(seed: int = SEED) -> dict[str, int]:
    """Sample id -> population (0 or 1): the structure PC1 must find."""
    return {s["id"]: s["pop"] for s in cohort(seed)["samples"]}


if __name__ == "__main__":  # a quick look: python -m biopipelines.library.testdata.synthetic_gwas /tmp/gwas/data
    import sys

    print(write_cohort(Path(sys.argv[1])))
