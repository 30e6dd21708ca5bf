"""The reference GTF's transcripts as BED12 (one line per transcript, its exons as blocks), the format minimap2's
--junc-bed reads to give annotated introns a bonus (what paftools.js gff2bed writes; k8 is not needed here).
GTF is 1-based and closed; BED is 0-based and half-open."""

import re
import sys
from collections import defaultdict

sys.stderr = open(snakemake.log[0], "w")  # noqa: F821 (snakemake is injected by the script: directive)
TRANSCRIPT_ID = re.compile(r'transcript_id "([^"]+)"')

exons = defaultdict(list)  # transcript -> [(start0, end)]
where = {}  # transcript -> (contig, strand)
with open(snakemake.input["gtf"]) as gtf:  # noqa: F821
    for line in gtf:
        fields = line.rstrip("\n").split("\t")
        if line.startswith("#") or len(fields) < 9 or fields[2] != "exon":
            continue
        found = TRANSCRIPT_ID.search(fields[8])
        if not found:
            continue
        transcript = found.group(1)
        exons[transcript].append((int(fields[3]) - 1, int(fields[4])))
        where[transcript] = (fields[0], fields[6])

lines = []
for transcript, blocks in exons.items():
    blocks.sort()
    contig, strand = where[transcript]
    start, end = blocks[0][0], blocks[-1][1]
    sizes = ",".join(str(e - s) for s, e in blocks)
    offsets = ",".join(str(s - start) for s, _ in blocks)
    lines.append((contig, start, end, f"{contig}\t{start}\t{end}\t{transcript}\t1000\t{strand}\t{start}\t{end}\t0\t"
                  f"{len(blocks)}\t{sizes},\t{offsets},\n"))
with open(snakemake.output["bed"], "w") as out:  # noqa: F821
    out.writelines(text for *_, text in sorted(lines))
print(f"{len(lines)} transcripts written", file=sys.stderr)
