"""LeafCutter differential splicing: regtools junctions per BAM, intron clustering, leafcutter-ds between the two
levels of the contrast. Runs as a Snakemake script so the groups file can follow the clustering's column names."""

import csv
import gzip
import subprocess
from pathlib import Path

sm = snakemake  # noqa: F821 (provided by Snakemake's script directive)
params = sm.params
outdir = Path(sm.output.significance).parent
juncdir = outdir / "junctions"
juncdir.mkdir(parents=True, exist_ok=True)
log = open(sm.log[0], "w")


def run(*args):
    log.write("$ " + " ".join(str(a) for a in args) + "\n")
    log.flush()
    subprocess.run([str(a) for a in args], check=True, stdout=log, stderr=subprocess.STDOUT)


samples = list(params.samples)
factor, numerator, reference = params.contrast
with open(sm.input.samples, newline="") as handle:
    levels = {row["sample"]: row[factor] for row in csv.DictReader(handle, delimiter="\t")}

junctions = []
for sample, bam in zip(samples, sm.input.bams):
    if levels[sample] not in (numerator, reference):
        continue
    junc = juncdir / f"{sample}.junc"
    run("regtools", "junctions", "extract", "-s", params.strand, "-a", params.min_anchor, "-m", params.min_intron,
        "-M", params.max_intron, "-o", junc, bam)
    junctions.append(junc)
juncfiles = outdir / "juncfiles.txt"
juncfiles.write_text("".join(f"{j}\n" for j in junctions))

run("leafcutter-cluster", "--juncfiles", juncfiles, "--outprefix", "leafcutter", "--rundir", outdir,
    "--minclureads", params.min_cluster_reads, "--maxintronlen", params.max_intron)
counts = outdir / "leafcutter_perind_numers.counts.gz"

# the count columns are named after the junction files: map each back to its sample
with gzip.open(counts, "rt") as handle:
    columns = handle.readline().split()
groups = []
for column in columns:
    name = Path(column).name
    name = name[:-len(".junc")] if name.endswith(".junc") else name
    if name in levels:
        groups.append(f"{column}\t{levels[name]}\n")
(outdir / "groups.txt").write_text("".join(groups))

exons = outdir / "exons.txt.gz"
run("leafcutter-gtf-to-exons", sm.input.gtf, exons)
run("leafcutter-ds", counts, outdir / "groups.txt", "--baseline_group", reference,
    "--output_prefix", outdir / "leafcutter_ds", "--exon_file", exons,
    "--min_samples_per_intron", params.min_samples_per_intron,
    "--min_samples_per_group", params.min_samples_per_group, "--min_coverage", params.min_coverage,
    "--num_threads", sm.threads)
log.close()
