"""Ribo-seq 3-nt periodicity: the reading frame of footprint P-sites in annotated coding sequences.

For one sample's coordinate-sorted BAM and the GTF:
1. each gene's longest coding transcript gives exon blocks in transcript coordinates and the CDS start/end;
2. pass 1: the 5' ends of sense reads near the start codon, per read length (the metagene). Ribosomes that
   initiate sit with the AUG in their P-site, so the 5' ends pile up `offset` nt upstream of it (12-13 nt for
   28-30 nt footprints): the peak in [-max_offset, -min_offset] gives each length's P-site offset (or one fixed
   offset from config);
3. pass 2: each read's P-site (5' end + offset, walked along the spliced transcript) is placed in the CDS and its
   frame (0, 1, 2 from the CDS start) counted. Good libraries put well over half of the P-sites in frame 0.
Reads come from `samtools view` (primary alignments above the MAPQ cut-off), so the script needs no Python
packages beyond the standard library.
"""

import re
import subprocess
import sys
from bisect import bisect_right
from collections import Counter, defaultdict

sys.stderr = open(snakemake.log[0], "w")  # noqa: F821 (snakemake is injected by the script: directive)
params = snakemake.params  # noqa: F821
sample = snakemake.wildcards["sample"]  # noqa: F821
MIN_LEN, MAX_LEN = int(params["min_length"]), int(params["max_length"])
WINDOW = (-40, 60)  # metagene positions around the first CDS base
OFFSET_RANGE = (8, 20)  # plausible P-site offsets
CIGAR = re.compile(r"(\d+)([MIDNSHP=X])")


def attributes(text):
    return dict(re.findall(r'(\S+) "([^"]*)"', text))


def transcripts(gtf):
    """{transcript: (contig, strand, exon blocks, CDS blocks, gene)} of transcripts with a CDS."""
    exons, cds, info = defaultdict(list), defaultdict(list), {}
    with open(gtf) as handle:
        for line in handle:
            if line.startswith("#"):
                continue
            fields = line.rstrip("\n").split("\t")
            if len(fields) < 9 or fields[2] not in ("exon", "CDS"):
                continue
            attrs = attributes(fields[8])
            tx = attrs.get("transcript_id")
            if not tx:
                continue
            block = (int(fields[3]), int(fields[4]), 0 if fields[7] == "." else int(fields[7]))
            (exons if fields[2] == "exon" else cds)[tx].append(block)
            info[tx] = (fields[0], fields[6], attrs.get("gene_id", tx))
    found = {}
    for tx, blocks in cds.items():
        contig, strand, gene = info[tx]
        found[tx] = (contig, strand, sorted(exons.get(tx) or blocks), sorted(blocks), gene)
    return found


class Transcript:
    """Genome <-> transcript coordinates (0-based from the transcript's 5' end) of one coding transcript."""

    def __init__(self, name, contig, strand, exons, cds):
        self.name, self.contig, self.strand = name, contig, strand
        self.exons = [(s, e) for s, e, _ in exons] if strand == "+" else [(s, e) for s, e, _ in reversed(exons)]
        self.length = sum(e - s + 1 for s, e in self.exons)
        # the first CDS base in transcript order; a CDS whose first codon is incomplete starts `phase` bases later
        first = cds[0] if strand == "+" else cds[-1]
        start = self.to_tx(first[0] if strand == "+" else first[1])
        self.cds_start = start + first[2]
        self.cds_length = sum(e - s + 1 for s, e, _ in cds) - first[2]

    def to_tx(self, pos):
        offset = 0
        for s, e in self.exons:
            if s <= pos <= e:
                return offset + (pos - s if self.strand == "+" else e - pos)
            offset += e - s + 1
        return None


def load_annotation(gtf):
    """The longest coding transcript of each gene, and a per-contig index of their exons."""
    best = {}
    for tx, (contig, strand, exons, cds, gene) in transcripts(gtf).items():
        model = Transcript(tx, contig, strand, exons, cds)
        if gene not in best or model.cds_length > best[gene].cds_length:
            best[gene] = model
    index = defaultdict(list)
    for model in best.values():
        for s, e in model.exons:
            index[(model.contig, model.strand)].append((s, e, model))
    for blocks in index.values():
        blocks.sort(key=lambda b: b[0])
    starts = {key: [b[0] for b in blocks] for key, blocks in index.items()}
    return index, starts, len(best)


def reads(bam):
    """(contig, strand, 5' end, length) of primary mapped reads."""
    command = ["samtools", "view", "-F", "0x904", "-q", str(params["min_mapq"]), bam]
    with subprocess.Popen(command, stdout=subprocess.PIPE, text=True) as proc:
        for line in proc.stdout:
            fields = line.split("\t", 10)
            flag, contig, pos, cigar = int(fields[1]), fields[2], int(fields[3]), fields[5]
            ops = CIGAR.findall(cigar)
            span = sum(int(n) for n, op in ops if op in "MDN=X")
            length = sum(int(n) for n, op in ops if op in "MIS=X")
            if flag & 16:
                yield contig, "-", pos + span - 1, length
            else:
                yield contig, "+", pos, length
    if proc.returncode:
        raise RuntimeError(f"samtools view exited with {proc.returncode}")


def locate(index, starts, contig, strand, pos):
    """(transcript, transcript coordinate) of a genomic 5' end inside an exon of a coding transcript."""
    key = (contig, strand)
    if key not in index:
        return None
    blocks = index[key]
    i = bisect_right(starts[key], pos) - 1
    # exons are short next to genes: look back over a few blocks for one that contains pos
    while i >= 0 and i >= bisect_right(starts[key], pos) - 50:
        s, e, model = blocks[i]
        if s <= pos <= e:
            return model, model.to_tx(pos)
        i -= 1
    return None


index, starts, genes = load_annotation(snakemake.input["gtf"])  # noqa: F821
print(f"{genes} coding genes (longest CDS transcript each)", file=sys.stderr)
bam = snakemake.input["bam"]  # noqa: F821

# pass 1: metagene of 5' ends around the start codon, per read length
metagene = defaultdict(Counter)
for contig, strand, five, length in reads(bam):
    if not MIN_LEN <= length <= MAX_LEN:
        continue
    hit = locate(index, starts, contig, strand, five)
    if hit:
        model, tx_pos = hit
        rel = tx_pos - model.cds_start
        if WINDOW[0] <= rel <= WINDOW[1]:
            metagene[length][rel] += 1

fixed = str(params["psite_offset"]).strip().lower()
offsets = {}
for length in range(MIN_LEN, MAX_LEN + 1):
    if fixed != "auto":
        offsets[length] = int(fixed)
        continue
    upstream = {rel: n for rel, n in metagene[length].items() if -OFFSET_RANGE[1] <= rel <= -OFFSET_RANGE[0]}
    if sum(upstream.values()) >= 10:
        offsets[length] = -max(upstream, key=lambda rel: (upstream[rel], rel))
if fixed == "auto":
    # lengths too rare to show a start peak take the offset of the most common length (12 without any)
    common = max(offsets, key=lambda length: sum(metagene[length].values()), default=None)
    fallback = offsets[common] if common is not None else 12
    offsets = {length: offsets.get(length, fallback) for length in range(MIN_LEN, MAX_LEN + 1)}
print(f"P-site offsets by read length: {offsets}", file=sys.stderr)

# pass 2: frame of every P-site inside a CDS
frames = defaultdict(lambda: [0, 0, 0])
lengths = Counter()
for contig, strand, five, length in reads(bam):
    lengths[length] += 1
    if not MIN_LEN <= length <= MAX_LEN:
        continue
    hit = locate(index, starts, contig, strand, five)
    if hit:
        model, tx_pos = hit
        rel = tx_pos + offsets[length] - model.cds_start
        if 0 <= rel < model.cds_length and tx_pos + offsets[length] < model.length:
            frames[length][rel % 3] += 1

with open(snakemake.output["frames"], "w") as out:  # noqa: F821
    out.write("read_length\treads\tpsite_offset\treads_in_cds\tframe0\tframe1\tframe2\tframe0_fraction\n")
    total = [0, 0, 0]
    for length in sorted(lengths):
        counts = frames.get(length, [0, 0, 0])
        in_cds = sum(counts)
        total = [a + b for a, b in zip(total, counts)]
        share = f"{counts[0] / in_cds:.4f}" if in_cds else "NA"
        offset = offsets.get(length, "NA")
        out.write(f"{length}\t{lengths[length]}\t{offset}\t{in_cds}\t{counts[0]}\t{counts[1]}\t{counts[2]}\t{share}\n")
    in_cds = sum(total)
    share = total[0] / in_cds if in_cds else 0.0
    out.write(f"all\t{sum(lengths.values())}\tNA\t{in_cds}\t{total[0]}\t{total[1]}\t{total[2]}\t{share:.4f}\n")

with open(snakemake.output["metagene"], "w") as out:  # noqa: F821
    shown = list(range(MIN_LEN, MAX_LEN + 1))
    out.write("position\t" + "\t".join(f"len{length}" for length in shown) + "\n")
    for rel in range(WINDOW[0], WINDOW[1] + 1):
        out.write(f"{rel}\t" + "\t".join(str(metagene[length][rel]) for length in shown) + "\n")

dominant = max(lengths, key=lengths.get, default="NA")
with open(snakemake.output["qc"], "w") as out:  # noqa: F821
    out.write("# id: 'riboseq_periodicity'\n# section_name: 'Ribo-seq periodicity'\n"
              "# description: 'Share of footprint P-sites in frame 0 of annotated CDSs (well above 1/3 means "
              "3-nt periodicity)'\n# plot_type: 'table'\n")
    out.write("Sample\tP-sites in CDS\tFrame 0 fraction\tMost common length\n")
    out.write(f"{sample}\t{in_cds}\t{share:.4f}\t{dominant}\n")
print(f"{in_cds} P-sites in CDSs, frame 0 fraction {share:.3f}", file=sys.stderr)
