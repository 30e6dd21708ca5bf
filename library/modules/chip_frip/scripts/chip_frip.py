"""FRiP: the share of a sample's filtered reads that fall in its own peaks (ENCODE ChIP-seq and ATAC-seq QC).

Both counts use the filter applied before peak calling (samtools view -F <flags> -q <mapq>, and for ATAC-seq no
reads on the dropped mitochondrial contigs), so duplicates, multi-mappers and chrM reads that MACS never saw do not
dilute the score. A read counts as in a peak when it overlaps one
(samtools view -L). Paired-end reads are counted one by one, not as fragments; the ratio is the same to within
the few pairs whose mates straddle a peak edge.
"""

import subprocess
import sys

sys.stderr = open(snakemake.log[0], "w")  # noqa: F821 (snakemake is injected by the script: directive)
params = snakemake.params  # noqa: F821
sample = snakemake.wildcards["sample"]  # noqa: F821
bam, peaks = snakemake.input["bam"], snakemake.input["peaks"]  # noqa: F821
FILTER = ["-F", str(params["exclude_flags"]), "-q", str(params["min_mapq"])]


def count(*extra, regions=()):
    out = subprocess.run(["samtools", "view", "-c", *FILTER, *extra, bam, *regions], check=True, capture_output=True,
                         text=True)
    return int(out.stdout.strip())


def kept_contigs():
    """The BAM's contigs minus drop_contigs (none dropped: [], which counts every read, unplaced ones too)."""
    drop = set(params["drop_contigs"])
    if not drop:
        return []
    out = subprocess.run(["samtools", "idxstats", bam], check=True, capture_output=True, text=True).stdout
    return [line.split("\t")[0] for line in out.splitlines() if line.split("\t")[0] not in drop | {"*"}]


with open(peaks) as handle:
    n_peaks = sum(1 for line in handle if line.strip() and not line.startswith(("#", "track", "browser")))
total = count(regions=kept_contigs())
# samtools -L with an empty region file would count nothing anyway; skip the call so no peaks reads as 0 plainly
# (peaks lie on the contigs the caller kept, so no region list is needed here)
in_peaks = count("-L", peaks) if n_peaks else 0
frip = in_peaks / total if total else 0.0
print(f"{sample}: {in_peaks} of {total} filtered reads in {n_peaks} peaks", file=sys.stderr)

with open(snakemake.output["frip"], "w") as out:  # noqa: F821
    out.write("# id: 'chip_frip'\n# section_name: 'FRiP score'\n"
              "# description: 'Fraction of filtered reads (the reads given to the peak caller) in its"
              " own peaks; the ENCODE guidelines expect more than 0.01'\n"
              "# plot_type: 'table'\n")
    out.write("Sample\tReads\tReads in peaks\tPeaks\tFRiP\n")
    out.write(f"{sample}\t{total}\t{in_peaks}\t{n_peaks}\t{frip:.4f}\n")
