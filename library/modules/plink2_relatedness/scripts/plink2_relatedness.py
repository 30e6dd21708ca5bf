"""KING-robust kinship of every pair of samples of a cohort VCF, each pair classed by degree of relationship.

Run by Snakemake's script: directive. PLINK 2 imports the biallelic autosomal SNVs that pass the VCF filters and
writes the kinship of every pair (--make-king-table, no filter); this script classes each pair with KING's
thresholds (kinship 0.354 duplicate/MZ twin, 0.177 first, 0.0884 second, 0.0442 third degree) and writes the
MultiQC table. KING-robust needs no allele frequencies and tolerates LD, so a cohort of a few exomes is analysed
as it is: no LD pruning (r-squared from a handful of samples is noise), no MAF filter.
"""

import subprocess
from pathlib import Path

sm = snakemake  # noqa: F821 (defined by Snakemake)
params = sm.params
out = sm.output.kinship[: -len(".kin0")]
log = open(sm.log[0], "w")
LIST_ALL_UP_TO = 20  # samples: up to this cohort size the MultiQC table lists every pair, above it the related ones

done = subprocess.run(
    ["plink2", "--vcf", sm.input.vcf, "--double-id", "--vcf-half-call", "missing", "--allow-extra-chr", "--autosome",
     "--snps-only", "just-acgt", "--max-alleles", "2", "--var-filter", *str(params.extra).split(),
     "--make-king-table", "--threads", str(sm.threads), "--memory", str(sm.resources.mem_mb), "--out", out],
    stdout=log, stderr=log)
if done.returncode != 0 or not Path(out + ".kin0").exists():
    # fewer than two samples or no usable SNV: an empty table says so instead of failing the workflow
    print("PLINK 2 computed no kinship (fewer than 2 samples or no biallelic autosomal SNV passed)", file=log,
          flush=True)
    Path(sm.output.kinship).write_text("#IID1\tIID2\tNSNP\tHETHET\tIBS0\tKINSHIP\n")

lines = Path(sm.output.kinship).read_text().splitlines()
header = lines[0].lstrip("#").split()
pairs = [dict(zip(header, line.split())) for line in lines[1:] if line.strip()]


def degree(kinship: str) -> str:
    if kinship in ("nan", "NA", "-nan", "inf", "-inf"):
        return "unknown"
    k = float(kinship)
    if k > float(params.duplicate):
        return "duplicate/MZ twin"
    if k > float(params.first_degree):
        return "first degree"
    if k > float(params.second_degree):
        return "second degree"
    if k > float(params.third_degree):
        return "third degree"
    return "unrelated"


samples = {p["IID1"] for p in pairs} | {p["IID2"] for p in pairs}
rows = []
for p in pairs:
    relation = degree(p["KINSHIP"])
    note = "few variants" if int(p["NSNP"]) < int(params.min_variants) else "."
    if len(samples) > LIST_ALL_UP_TO and relation == "unrelated":
        continue
    first, second = sorted((p["IID1"], p["IID2"]))
    kinship = p["KINSHIP"] if relation == "unknown" else f"{float(p['KINSHIP']):.4f}"
    rows.append([f"{first} - {second}", first, second, p["NSNP"], kinship, p["IBS0"], relation, note])
print(f"{len(samples)} samples, {len(pairs)} pairs, "
      f"{sum(r[6] not in ('unrelated', 'unknown') for r in rows)} related", file=log, flush=True)

with open(sm.output.mqc, "w") as handle:
    handle.write("# id: 'plink2_relatedness'\n# section_name: 'Relatedness (KING-robust kinship)'\n"
                 f"# description: 'Kinship of sample pairs on autosomal SNVs: above {params.duplicate} duplicate "
                 f"sample or MZ twins, above {params.first_degree} first degree, above {params.second_degree} second, "
                 f"above {params.third_degree} third degree"
                 + ("" if len(samples) <= LIST_ALL_UP_TO else "; unrelated pairs are not listed") + "'\n"
                 "# plot_type: 'table'\n")
    handle.write("Pair\tSample 1\tSample 2\tSNVs\tKinship\tIBS0\tRelationship\tNote\n")
    handle.writelines("\t".join(row) + "\n" for row in rows)
