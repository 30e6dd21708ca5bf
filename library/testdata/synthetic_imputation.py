"""A tiny phasing and imputation case (seeded, about a second): a phased reference panel, a genetic map and a cohort
of array-like genotypes for the phasing_imputation workflow.

Haplotypes are mosaics of a few founder haplotypes per chromosome (switching founder about once per Mb, 1 cM/Mb,
with a little mutation noise), so neighbouring sites are in strong linkage disequilibrium, as in a real panel.
The panel holds PANEL_SAMPLES samples; the cohort holds TARGET_SAMPLES other samples drawn the same way (held out of
the panel). The cohort VCF keeps every ARRAY_STEP-th site only (the "array"); every other site is masked and must
be imputed.

Planted truth:
- the true genotypes of the cohort at every site: imputed genotypes at masked sites must agree (concordance);
- the true haplotypes of the cohort: the phased array genotypes must show few switch errors;
- pre-imputation QC failures in the cohort VCF, each removed by the preparation step:
  SWAPPED_SITE (REF and ALT exchanged against the panel), AMBIGUOUS_SITE (an A/T SNP: strand-ambiguous),
  MISSING_SITE (30% missing calls), HWE_SITE (every sample heterozygous), NOVEL_SITE (not in the panel),
  and MULTIALLELIC_SITE (a record with two ALT alleles, split by bcftools norm; its second ALT is not in the panel).
"""

from __future__ import annotations

import gzip
import random
import subprocess
from pathlib import Path

SEED = 16
CHROMOSOMES = {"20": 240, "22": 180}  # sites per chromosome, SPACING apart
SPACING = 12_500
FIRST = 100_000
FOUNDERS = 8
PANEL_SAMPLES = 100
TARGET_SAMPLES = 40
ARRAY_STEP = 3  # the cohort's array keeps sites 0, 3, 6 ...: two thirds are imputed
SWITCH_PER_MB = 1.0
MUTATION = 0.002
SWAPPED_SITE = "20:475000"  # index 30 (an array site)
AMBIGUOUS_SITE = "20:850000"  # index 60
MISSING_SITE = "20:1225000"  # index 90
HWE_SITE = "22:475000"  # index 30 on chromosome 22
MULTIALLELIC_SITE = "22:850000"  # index 60
NOVEL_SITE = "22:1231000"  # between two panel sites
PLANTED_QC = {"allele_mismatch": SWAPPED_SITE, "strand_ambiguous": AMBIGUOUS_SITE, "call_rate": MISSING_SITE,
              "hwe": HWE_SITE, "not_in_panel": NOVEL_SITE}
_PAIRS = [("A", "G"), ("G", "A"), ("C", "T"), ("T", "C"), ("A", "C"), ("C", "A"), ("G", "T"), ("T", "G")]


def _positions(chrom: str) -> list[int]:
    return [FIRST + i * SPACING for i in range(CHROMOSOMES[chrom])]


def _haplotype(founders: list[list[int]], positions: list[int], rng: random.Random) -> list[int]:
    current = rng.randrange(len(founders))
    hap, previous = [], positions[0]
    for j, pos in enumerate(positions):
        if rng.random() < (pos - previous) / 1e6 * SWITCH_PER_MB:
            current = rng.randrange(len(founders))
        previous = pos
        allele = founders[current][j]
        hap.append(1 - allele if rng.random() < MUTATION else allele)
    return hap


def dataset(seed: int = SEED) -> dict:
    """Per chromosome: positions, alleles, panel haplotypes and the cohort's true haplotypes (lists of 0/1)."""
    rng = random.Random(seed)
    data: dict = {"panel_samples": [f"P{i:03d}" for i in range(1, PANEL_SAMPLES + 1)],
                  "target_samples": [f"T{i:02d}" for i in range(1, TARGET_SAMPLES + 1)], "chromosomes": {}}
    for chrom in CHROMOSOMES:
        positions = _positions(chrom)
        founders = [[0] * len(positions) for _ in range(FOUNDERS)]
        for j in range(len(positions)):
            p = rng.uniform(0.15, 0.5)
            column = [int(rng.random() < p) for _ in range(FOUNDERS)]
            if len(set(column)) == 1:  # keep every site polymorphic among the founders
                column[rng.randrange(FOUNDERS)] ^= 1
            for f in range(FOUNDERS):
                founders[f][j] = column[f]
        alleles = [rng.choice(_PAIRS) for _ in positions]
        panel = [_haplotype(founders, positions, rng) for _ in range(2 * PANEL_SAMPLES)]
        target = [_haplotype(founders, positions, rng) for _ in range(2 * TARGET_SAMPLES)]
        data["chromosomes"][chrom] = {"positions": positions, "alleles": alleles, "panel": panel, "target": target}
    ambiguous = _index(AMBIGUOUS_SITE)
    data["chromosomes"]["20"]["alleles"][ambiguous] = ("A", "T")
    return data


def _index(site: str) -> int:
    chrom, pos = site.split(":")
    return _positions(chrom).index(int(pos))


def array_sites(chrom: str) -> set[int]:
    """Positions the cohort's array typed (before QC)."""
    return {pos for j, pos in enumerate(_positions(chrom)) if j % ARRAY_STEP == 0}


def truth(seed: int = SEED) -> dict[str, dict[int, dict[str, tuple[int, int]]]]:
    """chromosome -> position -> sample -> true (haplotype 1, haplotype 2) alt alleles of the cohort."""
    data = dataset(seed)
    out: dict = {}
    for chrom, c in data["chromosomes"].items():
        out[chrom] = {pos: {s: (c["target"][2 * i][j], c["target"][2 * i + 1][j])
                            for i, s in enumerate(data["target_samples"])}
                      for j, pos in enumerate(c["positions"])}
    return out


def _header(samples: list[str], contigs: list[str]) -> list[str]:
    lines = ["##fileformat=VCFv4.2", '##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">']
    lines += [f"##contig=<ID={c},length={FIRST + CHROMOSOMES[c] * SPACING + 100_000}>" for c in contigs]
    lines.append("\t".join(["#CHROM", "POS", "ID", "REF", "ALT", "QUAL", "FILTER", "INFO", "FORMAT", *samples]))
    return lines


def _bgzip_index(text: str, path: Path) -> Path:
    """Write a bgzipped, tabix-indexed VCF (bgzip and tabix from htslib)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    plain = path.with_suffix("")
    plain.write_text(text)
    subprocess.run(["bgzip", "-f", str(plain)], check=True)
    subprocess.run(["tabix", "-f", "-p", "vcf", str(path)], check=True)
    return path


def write_panel(folder: Path, seed: int = SEED) -> dict[str, Path]:
    """panel.vcf.gz (phased, both chromosomes, with .tbi) and genetic_map.map (PLINK format, 1 cM/Mb)."""
    data = dataset(seed)
    lines = _header(data["panel_samples"], list(CHROMOSOMES))
    for chrom, c in data["chromosomes"].items():
        for j, pos in enumerate(c["positions"]):
            ref, alt = c["alleles"][j]
            gts = [f"{c['panel'][2 * i][j]}|{c['panel'][2 * i + 1][j]}" for i in range(PANEL_SAMPLES)]
            lines.append("\t".join([chrom, str(pos), f"{chrom}:{pos}", ref, alt, ".", "PASS", ".", "GT", *gts]))
    panel = _bgzip_index("\n".join(lines) + "\n", folder / "panel.vcf.gz")
    genetic_map = folder / "genetic_map.map"
    rows = []
    for chrom in CHROMOSOMES:  # PLINK map: chromosome, ID, cM, bp; a point every 250 kb from 0
        last = FIRST + CHROMOSOMES[chrom] * SPACING + 100_000
        rows += [f"{chrom}\t.\t{pos / 1e6:.4f}\t{pos}" for pos in range(1, last, 250_000)]
    genetic_map.write_text("\n".join(rows) + "\n")
    return {"panel": panel, "genetic_map": genetic_map}


def write_cohort(path: Path, seed: int = SEED) -> Path:
    """The cohort's array genotypes, unphased, as a bgzipped and indexed VCF, with the planted QC failures."""
    data = dataset(seed)
    rng = random.Random(seed + 1)
    samples = data["target_samples"]
    lines = _header(samples, list(CHROMOSOMES))
    for chrom, c in data["chromosomes"].items():
        for j, pos in enumerate(c["positions"]):
            if j % ARRAY_STEP:
                continue
            site = f"{chrom}:{pos}"
            ref, alt = c["alleles"][j]
            calls = [c["target"][2 * i][j] + c["target"][2 * i + 1][j] for i in range(len(samples))]
            if site == SWAPPED_SITE:  # the array reports the other allele as REF
                ref, alt, calls = alt, ref, [2 - g for g in calls]
            if site == HWE_SITE:
                calls = [1] * len(calls)
            gts = [("0/0", "0/1", "1/1")[g] for g in calls]
            if site == MISSING_SITE:
                gts = ["./." if rng.random() < 0.3 else g for g in gts]
            if site == MULTIALLELIC_SITE:  # a second ALT allele the panel lacks, carried by two samples
                other = next(b for b in "ACGT" if b not in (ref, alt))
                alt = f"{alt},{other}"
                gts[0], gts[1] = "0/2", "1/2"
            lines.append("\t".join([chrom, str(pos), site, ref, alt, ".", "PASS", ".", "GT", *gts]))
            if site == _previous(NOVEL_SITE):
                novel = NOVEL_SITE.split(":")[1]
                novel_gts = [("0/0", "0/1")[rng.random() < 0.4] for _ in samples]
                lines.append("\t".join([chrom, novel, NOVEL_SITE, "C", "T", ".", "PASS", ".", "GT", *novel_gts]))
    return _bgzip_index("\n".join(lines) + "\n", path)


def _previous(site: str) -> str:
    """The array site just before `site` (where the planted record goes, to keep the VCF sorted)."""
    chrom, pos = site.split(":")
    return f"{chrom}:{max(p for p in array_sites(chrom) if p < int(pos))}"


def read_genotypes(path: Path) -> dict[str, dict[int, dict[str, tuple[int, int]]]]:
    """A bgzipped or plain VCF's biallelic GT calls: chromosome -> position -> sample -> (allele 1, allele 2); a
    missing call is left out. Records are keyed by position (after QC each position holds one record)."""
    opener = gzip.open if path.suffix == ".gz" else open
    calls: dict = {}
    with opener(path, "rt") as handle:
        for line in handle:
            if line.startswith("##"):
                continue
            fields = line.rstrip("\n").split("\t")
            if line.startswith("#"):
                samples = fields[9:]
                continue
            keys = fields[8].split(":")
            site = calls.setdefault(fields[0], {}).setdefault(int(fields[1]), {})
            for sample, value in zip(samples, fields[9:]):
                gt = value.split(":")[keys.index("GT")].replace("|", "/").split("/")
                if "." not in gt:
                    site[sample] = (int(gt[0]), int(gt[1]))
    return calls


def concordance(imputed: Path, seed: int = SEED) -> tuple[float, int]:
    """Share of imputed genotypes (alt-allele counts) that equal the truth at the masked (non-array) sites, and
    how many genotypes were compared."""
    truth_calls, calls = truth(seed), read_genotypes(imputed)
    agree = total = 0
    for chrom, sites in truth_calls.items():
        for pos, samples in sites.items():
            if pos in array_sites(chrom) or pos not in calls.get(chrom, {}):
                continue
            for sample, (a, b) in samples.items():
                if sample in calls[chrom][pos]:
                    total += 1
                    agree += sum(calls[chrom][pos][sample]) == a + b
    return (agree / total if total else 0.0), total


def switch_error(phased: Path, seed: int = SEED) -> tuple[float, int]:
    """Switch error rate of the phased cohort: over consecutive heterozygous sites (true and called het), the share
    where the called haplotypes swap against the true ones; and how many such pairs were compared."""
    truth_calls, calls = truth(seed), read_genotypes(phased)
    switches = pairs = 0
    cohort = dataset(seed)["target_samples"]
    for chrom, sites in calls.items():
        for sample in cohort:
            previous = None
            for pos in sorted(sites):
                called, true = sites[pos].get(sample), truth_calls[chrom].get(pos, {}).get(sample)
                if called is None or true is None or sum(called) != 1 or sum(true) != 1:
                    continue
                orientation = called == true
                if previous is not None:
                    pairs += 1
                    switches += orientation != previous
                previous = orientation
    return (switches / pairs if pairs else 1.0), pairs


def write_all(folder: Path, seed: int = SEED) -> dict[str, Path]:
    """Panel, genetic map and cohort under `folder`: {'panel', 'genetic_map', 'vcf'}."""
    paths = write_panel(folder / "reference", seed)
    paths["vcf"] = write_cohort(folder / "genotypes" / "cohort.vcf.gz", seed)
    return paths


if __name__ == "__main__":  # a quick look: python -m biopipelines.library.testdata.synthetic_imputation /tmp/imp
    import sys

    print(write_all(Path(sys.argv[1])))
