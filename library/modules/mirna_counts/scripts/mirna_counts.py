"""Merge per-sample `samtools idxstats` tables into one miRNA x sample count matrix.

The matrix uses featureCounts' layout (a comment line, then Geneid, Chr, Start, End, Strand, Length and one column
per sample) so the DESeq2 and edgeR modules read it unchanged. A MultiQC custom-content table reports, per sample,
the reads aligned to miRNAs and how many miRNAs were detected.
"""

import sys

sys.stderr = open(snakemake.log[0], "w")  # noqa: F821 (snakemake is injected by the script: directive)

samples = list(snakemake.params["samples"])  # noqa: F821
paths = list(snakemake.input["stats"])  # noqa: F821
if len(samples) != len(paths):
    raise ValueError(f"{len(paths)} idxstats files for {len(samples)} samples")

lengths: dict[str, int] = {}
counts: dict[str, dict[str, int]] = {}
for sample, path in zip(samples, paths):
    counts[sample] = {}
    with open(path) as handle:
        for line in handle:
            name, length, mapped, unmapped = line.rstrip("\n").split("\t")
            if name == "*":  # reads without a reference: unaligned reads are not kept in the BAM
                continue
            lengths.setdefault(name, int(length))
            counts[sample][name] = int(mapped)

names = list(lengths)  # the index order: the same in every sample
with open(snakemake.output["counts"], "w") as out:  # noqa: F821
    out.write("# reads per mature miRNA (samtools idxstats of the bowtie alignments)\n")
    out.write("\t".join(["Geneid", "Chr", "Start", "End", "Strand", "Length", *samples]) + "\n")
    for name in names:
        row = [name, name, "1", str(lengths[name]), "+", str(lengths[name])]
        out.write("\t".join(row + [str(counts[s].get(name, 0)) for s in samples]) + "\n")

with open(snakemake.output["summary"], "w") as out:  # noqa: F821
    out.write("# id: 'mirna_counts'\n# section_name: 'miRNA counts'\n"
              "# description: 'Reads aligned to mature miRNAs and miRNAs with at least 10 reads, per sample'\n"
              "# plot_type: 'table'\n")
    out.write("Sample\tmiRNA reads\tmiRNAs detected (>= 10 reads)\n")
    for sample in samples:
        total = sum(counts[sample].values())
        detected = sum(1 for v in counts[sample].values() if v >= 10)
        out.write(f"{sample}\t{total}\t{detected}\n")
        print(f"{sample}: {total} reads on miRNAs, {detected} miRNAs detected", file=sys.stderr)
