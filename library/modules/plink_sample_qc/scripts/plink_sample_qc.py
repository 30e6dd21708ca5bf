"""Sample QC of a PLINK fileset: call rate, heterozygosity outliers and (with chrX) a sex check.

Run by Snakemake's script: directive. Each metric comes from PLINK 1.9 (--missing, --het, --check-sex); this script
decides who fails, writes one row per sample with its metrics and reasons, and removes the failures (--remove).
"""

import statistics
import subprocess
from pathlib import Path

sm = snakemake  # noqa: F821 (defined by Snakemake)
bfile = sm.input.bed[: -len(".bed")]
out = sm.output.bed[: -len(".bed")]
work = Path(out).parent / "metrics"
work.mkdir(parents=True, exist_ok=True)
common = ["--allow-no-sex", "--threads", str(sm.threads), "--memory", str(sm.resources.mem_mb),
          *str(sm.params.extra).split()]
log = open(sm.log[0], "w")


def plink(*args: str) -> None:
    subprocess.run(["plink", "--bfile", bfile, *args, *common], check=True, stdout=log, stderr=log)


def table(path: Path) -> list[dict[str, str]]:
    """A PLINK 1.9 report (whitespace-aligned columns) as rows keyed by its header."""
    lines = path.read_text().splitlines()
    header = lines[0].split()
    return [dict(zip(header, line.split())) for line in lines[1:] if line.strip()]


plink("--missing", "--out", str(work / "call_rate"))
plink("--extract", sm.input.prune_in, "--autosome", "--het", "--out", str(work / "het"))
has_x = any(line.split()[0] in ("23", "X", "chrX") for line in open(sm.input.bim))
if has_x:  # hemizygous males look homozygous on chrX: F near 1 for males, near 0 for females
    plink("--check-sex", *str(sm.params.sex_f).split(), "--out", str(work / "sex"))

rows = {(r["FID"], r["IID"]): {"FID": r["FID"], "IID": r["IID"], "call_rate": f"{1 - float(r['F_MISS']):.4f}",
                                "het_F": "NA", "sex_recorded": "NA", "sex_from_chrX": "NA", "fail": []}
        for r in table(work / "call_rate.imiss")}
for key, row in rows.items():
    if 1 - float(row["call_rate"]) > float(sm.params.mind):
        row["fail"].append("call_rate")

het = {(r["FID"], r["IID"]): float(r["F"]) for r in table(work / "het.het") if r["F"] not in ("nan", "NA")}
mean, sd = statistics.fmean(het.values()), statistics.pstdev(het.values())
for key, f in het.items():
    rows[key]["het_F"] = f"{f:.4f}"
    if sd > 0 and abs(f - mean) > float(sm.params.het_sd) * sd:
        rows[key]["fail"].append("heterozygosity")

if has_x:
    for r in table(work / "sex.sexcheck"):
        row = rows[(r["FID"], r["IID"])]
        row["sex_recorded"], row["sex_from_chrX"] = r["PEDSEX"], r["SNPSEX"]
        # a recorded sex the chrX genotypes contradict is a sample swap or a typo: removed. An unknown recorded
        # sex, or a chrX F between the thresholds (few chrX variants, aneuploidy), is reported, not removed
        if r["PEDSEX"] in ("1", "2") and r["SNPSEX"] in ("1", "2") and r["PEDSEX"] != r["SNPSEX"]:
            row["fail"].append("sex_mismatch")

failed = work / "failed_samples.txt"
with open(sm.output.table, "w") as handle, open(failed, "w") as fails:
    handle.write("FID\tIID\tcall_rate\thet_F\tsex_recorded\tsex_from_chrX\tstatus\tfailed\n")
    for row in rows.values():
        status = "removed" if row["fail"] else "kept"
        handle.write("\t".join([row["FID"], row["IID"], row["call_rate"], row["het_F"], row["sex_recorded"],
                                row["sex_from_chrX"], status, ",".join(row["fail"]) or "."]) + "\n")
        if row["fail"]:
            fails.write(f"{row['FID']}\t{row['IID']}\n")
print(f"heterozygosity F mean {mean:.4f}, SD {sd:.4f}; chrX sex check: {'run' if has_x else 'no chrX variants'}",
      file=log, flush=True)
plink("--remove", str(failed), "--make-bed", "--out", out)
