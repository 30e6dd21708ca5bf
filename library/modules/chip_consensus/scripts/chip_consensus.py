"""Replicate consensus peaks by simple overlap, one antibody at a time.

For an antibody with n >= 2 replicates, all replicates' peaks are pooled, sorted and merged where they overlap
(bedtools merge semantics: intervals sharing at least one base join one region). A merged region is kept when
peaks of at least `min_replicates` different replicates fall in it. This is not IDR: peak ranks and signal are
ignored, and a chain of overlapping peaks can merge into one region wider than any single peak.
An antibody with one replicate (or fewer than min_replicates) gets no consensus; the summary says so.
"""

import sys
from collections import defaultdict

sys.stderr = open(snakemake.log[0], "w")  # noqa: F821 (snakemake is injected by the script: directive)
params = snakemake.params  # noqa: F821
samples, antibodies = list(params["samples"]), list(params["antibodies"])
paths = list(snakemake.input["peaks"])  # noqa: F821
MIN_REPLICATES = int(params["min_replicates"])


def read_peaks(path):
    with open(path) as handle:
        for line in handle:
            if line.strip() and not line.startswith(("#", "track", "browser")):
                fields = line.split("\t")
                yield fields[0], int(fields[1]), int(fields[2])


def merged(peaks):
    """[(contig, start, end, {replicates})] of overlapping (sample, contig, start, end) peaks."""
    regions = []
    for sample, contig, start, end in sorted(peaks, key=lambda p: (p[1], p[2], p[3])):
        if regions and regions[-1][0] == contig and start < regions[-1][2]:
            last = regions[-1]
            regions[-1] = (contig, last[1], max(last[2], end), last[3] | {sample})
        else:
            regions.append((contig, start, end, {sample}))
    return regions


replicates = defaultdict(list)
for sample, antibody in zip(samples, antibodies, strict=True):
    replicates[antibody].append(sample)
peaks_of = dict(zip(samples, paths, strict=True))

bed, summary = [], []
for antibody, names in sorted(replicates.items()):
    if len(names) < max(2, MIN_REPLICATES):
        summary.append((antibody, len(names), ",".join(names), "NA",
                        f"{len(names)} replicate(s), fewer than the {max(2, MIN_REPLICATES)} needed: no consensus; "
                        f"use the per-sample peaks"))
        continue
    pooled = [(name, *peak) for name in names for peak in read_peaks(peaks_of[name])]
    kept = [r for r in merged(pooled) if len(r[3]) >= MIN_REPLICATES]
    for index, (contig, start, end, support) in enumerate(kept, 1):
        bed.append((contig, start, end, f"{antibody}_consensus_{index}", len(support), ".", antibody,
                    ",".join(sorted(support))))
    summary.append((antibody, len(names), ",".join(names), len(kept),
                    f"regions with peaks in at least {MIN_REPLICATES} of {len(names)} replicates"))
    print(f"{antibody}: {len(kept)} consensus regions from {len(pooled)} peaks", file=sys.stderr)

with open(snakemake.output["consensus"], "w") as out:  # noqa: F821
    # BED6 (score: supporting replicates) plus the antibody and the supporting replicates
    for row in sorted(bed, key=lambda r: (r[0], r[1])):
        out.write("\t".join(map(str, row)) + "\n")
with open(snakemake.output["summary"], "w") as out:  # noqa: F821
    out.write("# id: 'chip_consensus'\n# section_name: 'Replicate consensus peaks'\n"
              "# description: 'Peaks found in enough replicates of each antibody (simple overlap, not IDR)'\n"
              "# plot_type: 'table'\n")
    out.write("Antibody\tReplicates\tSamples\tConsensus peaks\tNote\n")
    for row in summary:
        out.write("\t".join(map(str, row)) + "\n")
