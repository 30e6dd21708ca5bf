"""Library strandedness from the aligned reads, the way RSeQC's infer_experiment.py measures it.

For each sample's coordinate-sorted, indexed BAM, about `sample_reads` primary alignments with MAPQ >= `min_mapq`
are placed on the GTF's genes: the first ones of every contig, each contig giving its share of the mapped reads
(`samtools idxstats`), so that a first contig such as chrM does not decide alone. A read that overlaps genes of one strand only is counted as
agreeing with a forward library (featureCounts -s 1: read 1, or a single-end read, on the gene's strand; read 2
opposite) or with a reverse library (-s 2: the other way round). Reads on no gene, or on genes of both strands,
tell nothing and are not counted.

Calls use nf-core/rnaseq's thresholds: forward or reverse when that share is >= `stranded_threshold`, unstranded
when |forward - reverse| <= `unstranded_threshold`, otherwise undetermined. The library's call is the one every
sample shares. It is written for the counting step unless config.yaml states a strandedness (anything but auto):
then the stated value is written, and the table flags samples whose call disagrees with it. An undetermined or
mixed call under `auto` stops the workflow with the reason in the log: counting on a guessed strand would
silently lose or mix reads.
Standard library only.
"""

import re
import subprocess
import sys
from collections import defaultdict

CIGAR = re.compile(r"(\d+)([MIDNSHP=X])")
GENE_ID = re.compile(r'gene_id "([^"]+)"')
BIN = 100_000  # genes are indexed in bins of this many bases, so a read looks at a few genes only
CALLS = ("unstranded", "forward", "reverse")


def gene_index(gtf):
    """{(contig, bin): [(start, end, strand)]} of every gene's span (its first to last exon, 1-based, closed)."""
    spans = {}
    with open(gtf) as handle:
        for line in handle:
            fields = line.rstrip("\n").split("\t")
            if line.startswith("#") or len(fields) < 9 or fields[2] != "exon" or fields[6] not in "+-":
                continue
            found = GENE_ID.search(fields[8])
            key = (fields[0], found.group(1) if found else fields[8], fields[6])
            start, end = int(fields[3]), int(fields[4])
            old = spans.get(key, (start, end))
            spans[key] = (min(start, old[0]), max(end, old[1]))
    index = defaultdict(list)
    for (contig, _, strand), (start, end) in spans.items():
        for b in range(start // BIN, end // BIN + 1):
            index[(contig, b)].append((start, end, strand))
    return index, len(spans)


def gene_strands(index, contig, start, end):
    """The strands of the genes that overlap [start, end]."""
    return {strand for b in range(start // BIN, end // BIN + 1) for s, e, strand in index.get((contig, b), ())
            if s <= end and start <= e}


def tally(sam_lines, index, limit):
    """(reads examined, reads used, reads agreeing with a forward library, with a reverse library) over the first
    `limit` SAM records."""
    seen = used = forward = reverse = 0
    for line in sam_lines:
        if line.startswith("@"):
            continue
        if seen == limit:
            break
        seen += 1
        fields = line.split("\t", 6)
        flag, contig, pos = int(fields[1]), fields[2], int(fields[3])
        span = sum(int(n) for n, op in CIGAR.findall(fields[5]) if op in "MDN=X")
        strands = gene_strands(index, contig, pos, pos + max(span, 1) - 1)
        if len(strands) != 1:
            continue
        used += 1
        on_gene_strand = ("-" if flag & 0x10 else "+") in strands
        second_mate = bool(flag & 0x1 and flag & 0x80)
        if on_gene_strand != second_mate:  # read 1 sense or read 2 antisense
            forward += 1
        else:
            reverse += 1
    return seen, used, forward, reverse


def call(forward, reverse, stranded, unstranded):
    """nf-core/rnaseq's decision on the two shares."""
    if forward >= stranded:
        return "forward"
    if reverse >= stranded:
        return "reverse"
    if abs(forward - reverse) <= unstranded:
        return "unstranded"
    return "undetermined"


def contig_shares(bam, limit):
    """{contig: alignments to examine}: `limit` split by each contig's share of the mapped reads (contigs whose
    share rounds to nothing are skipped)."""
    stats = subprocess.run(["samtools", "idxstats", bam], capture_output=True, text=True, check=True).stdout
    mapped = {f[0]: int(f[2]) for f in (line.split("\t") for line in stats.splitlines()) if f[0] != "*"}
    total = sum(mapped.values()) or 1
    shares = {contig: round(limit * n / total) for contig, n in mapped.items()}
    return {contig: share for contig, share in shares.items() if share}


def sample_reads(bam, min_mapq, limit, index):
    """(reads used, forward, reverse) summed over the first primary, mapped, non-duplicate alignments of each
    contig of an indexed BAM."""
    totals = [0, 0, 0]
    for contig, share in contig_shares(bam, limit).items():
        command = ["samtools", "view", "-F", "0xF04", "-q", str(min_mapq), bam, contig]
        with subprocess.Popen(command, stdout=subprocess.PIPE, text=True) as proc:
            seen, *counts = tally(proc.stdout, index, share)
            if seen == share:
                proc.kill()  # the rest of the contig is not needed
            elif proc.wait():
                raise RuntimeError(f"samtools view {bam} {contig} exited with {proc.returncode}")
        totals = [a + b for a, b in zip(totals, counts)]
    return totals


def main(smk):
    sys.stderr = open(smk.log[0], "w")
    params = smk.params
    stated = str(params["stated"])
    stranded, unstranded = float(params["stranded_threshold"]), float(params["unstranded_threshold"])
    index, genes = gene_index(smk.input["gtf"])
    print(f"{genes} genes in the GTF", file=sys.stderr)
    rows = []
    for sample, bam in zip(params["samples"], smk.input["bams"]):
        used, fwd, rev = sample_reads(bam, params["min_mapq"], int(params["sample_reads"]), index)
        forward, reverse = (fwd / used, rev / used) if used else (0.0, 0.0)
        verdict = call(forward, reverse, stranded, unstranded) if used else "undetermined"  # no read on a gene
        rows.append((sample, used, forward, reverse, verdict))
        print(f"{sample}: {used} reads on genes, forward {forward:.4f}, reverse {reverse:.4f} -> {rows[-1][-1]}",
              file=sys.stderr)
    calls = {row[-1] for row in rows}
    consensus = calls.pop() if len(calls) == 1 else "mixed"
    with open(smk.output["table"], "w") as out:
        out.write("sample\treads_used\tforward_fraction\treverse_fraction\tcall\tstated\tagrees\n")
        for sample, used, forward, reverse, verdict in rows:
            agrees = "NA" if stated == "auto" else ("yes" if verdict == stated else "no")
            out.write(f"{sample}\t{used}\t{forward:.4f}\t{reverse:.4f}\t{verdict}\t{stated}\t{agrees}\n")
    if stated != "auto":
        if consensus != stated:
            print(f"WARNING: config.yaml states strandedness {stated}, but the reads say {consensus}; counting "
                  f"uses the stated value. Check the library kit (table: {smk.output['table']}).", file=sys.stderr)
        chosen = stated
    elif consensus in CALLS:
        chosen = consensus
    else:
        sys.exit(f"Strandedness could not be inferred (library call: {consensus}; per sample: "
                 f"{', '.join(f'{r[0]}={r[-1]}' for r in rows)}). Too few reads on genes (contig names of the BAM "
                 "and GTF must match), a partly stranded library, or samples of different kits. Set strandedness "
                 "to unstranded, forward or reverse in config/config.yaml (the fractions per sample are above).")
    with open(smk.output["call"], "w") as out:
        out.write(chosen + "\n")
    print(f"library strandedness: {consensus}; counting with {chosen}", file=sys.stderr)


if __name__ == "__main__":
    main(snakemake)  # noqa: F821 (snakemake is injected by the script: directive)
