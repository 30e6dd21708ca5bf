"""Genetic sex of each sample of a cohort VCF against the sex the sample sheet records.

Run by Snakemake's script: directive. PLINK 1.9 imports the biallelic SNVs that pass the VCF filters, --split-x moves
the pseudo-autosomal variants (both sexes diploid there) out of chrX, and --check-sex computes each sample's chrX
inbreeding coefficient F: near 1 for a man (one X: every call homozygous), near 0 for a woman. This script writes one
row per sample with F, the inferred sex, the recorded sex and whether they agree, as a plain table and as MultiQC
custom content.
"""

import csv
import gzip
import subprocess
from pathlib import Path

sm = snakemake  # noqa: F821 (defined by Snakemake)
out_dir = Path(sm.output.table).parent
work = out_dir / "plink"
work.mkdir(parents=True, exist_ok=True)
log = open(sm.log[0], "w")
low, high = (float(x) for x in str(sm.params.sex_f).split())
MALE, FEMALE = {"m", "male", "1", "man", "xy"}, {"f", "female", "2", "woman", "xx"}


def plink(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["plink", *args, "--allow-extra-chr", "--allow-no-sex", "--threads", str(sm.threads),
                           "--memory", str(sm.resources.mem_mb)], stdout=log, stderr=log)


def table(path: Path) -> list[dict[str, str]]:
    """A PLINK 1.9 report (whitespace-aligned columns) as rows keyed by its header."""
    lines = path.read_text().splitlines()
    header = lines[0].split()
    return [dict(zip(header, line.split())) for line in lines[1:] if line.strip()]


def vcf_samples(path: str) -> tuple[list[str], int]:
    """The VCF's sample names and its number of records (plain or gzip/bgzip)."""
    with open(path, "rb") as probe:
        gz = probe.read(2) == b"\x1f\x8b"
    samples, records = [], 0
    with (gzip.open(path, "rt") if gz else open(path)) as handle:
        for line in handle:
            if line.startswith("#CHROM"):
                samples = line.rstrip("\n").split("\t")[9:]
            elif not line.startswith("#"):
                records += 1
    return samples, records


def recorded() -> dict[str, str]:
    """Sample -> recorded sex (male/female/unknown) from the sample sheet's sex column; {} without one."""
    with open(sm.input.samples, newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    column = str(sm.params.sex_column)
    if not column or not rows or column not in rows[0]:
        return {}
    sexes = {}
    for row in rows:
        value = (row.get(column) or "").strip().lower()
        sexes[row["sample"]] = "male" if value in MALE else "female" if value in FEMALE else "unknown"
    return sexes


def split_build() -> str:
    """The --split-x build: as configured, or (auto) from genome_build; '' for no split."""
    build = str(sm.params.build).strip()
    if build != "auto":
        return build
    name = str(sm.params.genome_build or "").lower()
    return {"grch38": "b38", "hg38": "b38", "grch37": "b37", "hg19": "b37", "b37": "b37"}.get(name, "")


samples, records = vcf_samples(sm.input.vcf)
build = split_build()
print(f"--split-x build: {build or 'none'} (genome_build {sm.params.genome_build})", file=log, flush=True)
f_values: dict[str, str] = {}
x_variants = 0
if samples and records:
    split = ["--split-x", build, "no-fail"] if build else []
    bfile = str(work / "cohort")
    done = plink("--vcf", sm.input.vcf, "--double-id", "--vcf-half-call", "m", "--vcf-filter",
                 "--biallelic-only", "strict", "--snps-only", "just-acgt", *split, *str(sm.params.extra).split(),
                 "--make-bed", "--out", bfile)
    if done.returncode == 0:
        # polymorphic non-PAR chrX SNVs (code 23 after --split-x): the evidence behind every call
        if plink("--bfile", bfile, "--chr", "23", "--freq", "--out", str(work / "chrx")).returncode == 0:
            x_variants = sum(1 for r in table(work / "chrx.frq")
                             if r["MAF"] not in ("NA", "nan") and float(r["MAF"]) > 0)
        if x_variants >= int(sm.params.min_x_variants):
            check = plink("--bfile", bfile, "--check-sex", str(low), str(high), "--out", str(work / "sex"))
            if check.returncode == 0:
                f_values = {r["IID"]: r["F"] for r in table(work / "sex.sexcheck")}
    else:  # no SNV passed the import filters: every sample is reported uncertain
        print("PLINK import found no usable SNVs; no sex calls", file=log, flush=True)
print(f"{len(samples)} samples, {records} VCF records, {x_variants} polymorphic non-PAR chrX SNVs", file=log,
      flush=True)

sheet = recorded()
rows = []
for sample in samples:
    f = f_values.get(sample, "NA")
    if f in ("NA", "nan"):
        inferred = "uncertain"
    else:
        inferred = "male" if float(f) > high else "female" if float(f) < low else "uncertain"
    recorded_sex = sheet.get(sample, "unknown")
    if recorded_sex == "unknown":
        status = "no recorded sex" if inferred != "uncertain" else "uncertain"
    elif inferred == "uncertain":
        status = "uncertain"
    else:
        status = "ok" if inferred == recorded_sex else "MISMATCH"
    rows.append([sample, str(x_variants), f if f == "NA" else f"{float(f):.3f}", inferred, recorded_sex, status])

header = ["Sample", "chrX SNVs", "chrX F", "Inferred sex", "Recorded sex", "Status"]
with open(sm.output.table, "w") as handle:
    handle.write("\t".join(header) + "\n")
    handle.writelines("\t".join(row) + "\n" for row in rows)
with open(sm.output.mqc, "w") as handle:
    handle.write("# id: 'plink_sex_check'\n# section_name: 'Sex check'\n"
                 f"# description: 'Genetic sex from chrX homozygosity (PLINK --check-sex F: male above {high}, female "
                 f"below {low}) against the sample sheet; MISMATCH means a sample swap or a data-entry error'\n"
                 "# plot_type: 'table'\n")
    handle.write("\t".join(header) + "\n")
    handle.writelines("\t".join(row) + "\n" for row in rows)
