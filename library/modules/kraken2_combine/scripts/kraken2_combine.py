"""Merge per-sample Kraken-style reports (Kraken2 or Bracken -w) or MetaPhlAn profiles into taxon x sample tables.

Kraken report columns: percent, clade reads, direct reads, rank code, taxid, name (indented by rank depth).
A taxon's reads at the chosen rank are its clade reads (everything classified to it or below it).
MetaPhlAn profiles (-t rel_ab_w_read_stats) give relative abundance and estimated reads per clade.
"""

import sys

METAPHLAN_PREFIX = {"D": "k", "K": "k", "P": "p", "C": "c", "O": "o", "F": "f", "G": "g", "S": "s"}


def kraken_report(path, rank):
    """{(taxid, name): clade reads} of the taxa at exactly this rank."""
    found = {}
    with open(path) as handle:
        for line in handle:
            fields = line.rstrip("\n").split("\t")
            if len(fields) < 6:
                continue
            if fields[3].strip() == rank:
                found[(fields[4].strip(), fields[5].strip())] = float(fields[1])
    return found


def metaphlan_profile(path, rank):
    """{(taxid, name): estimated reads} of the clades at exactly this rank (relative abundance when no reads)."""
    prefix = METAPHLAN_PREFIX[rank] + "__"
    columns, found = None, {}
    with open(path) as handle:
        for line in handle:
            fields = line.rstrip("\n").split("\t")
            if line.startswith("#"):
                if fields[0].lstrip("#").strip() == "clade_name":
                    columns = [f.lstrip("#").strip() for f in fields]
                continue
            if not fields[0] or columns is None:
                continue
            row = dict(zip(columns, fields))
            last = row["clade_name"].split("|")[-1]
            if not last.startswith(prefix):
                continue
            taxid = row.get("clade_taxid", row.get("NCBI_tax_id", "")).split("|")[-1]
            value = row.get("estimated_number_of_reads_from_the_clade") or row.get("relative_abundance") or "0"
            found[(taxid, last[len(prefix):])] = float(value)
    return found


def main(files, samples, parse, rank, min_reads, counts_out, relative_out):
    if len(files) != len(samples):
        raise ValueError(f"{len(files)} files for {len(samples)} samples")
    per_sample = [parse(path, rank) for path in files]
    taxa = sorted(set().union(*per_sample), key=lambda t: -sum(s.get(t, 0) for s in per_sample))
    taxa = [t for t in taxa if max(s.get(t, 0) for s in per_sample) >= min_reads]
    totals = [sum(s.get(t, 0) for t in taxa) for s in per_sample]
    header = "taxid\tname\t" + "\t".join(samples) + "\n"
    with open(counts_out, "w") as counts, open(relative_out, "w") as relative:
        counts.write(header)
        relative.write(header)
        for taxon in taxa:
            values = [s.get(taxon, 0) for s in per_sample]
            counts.write("\t".join(taxon) + "\t" + "\t".join(f"{v:g}" for v in values) + "\n")
            shares = [100 * v / total if total else 0.0 for v, total in zip(values, totals)]
            relative.write("\t".join(taxon) + "\t" + "\t".join(f"{v:.4f}" for v in shares) + "\n")
    print(f"{len(taxa)} taxa at rank {rank} in {len(samples)} samples", file=sys.stderr)


if "snakemake" in globals():
    smk = snakemake  # noqa: F821 (set by Snakemake's script directive)
    with open(smk.log[0], "w") as log:
        sys.stderr = log
        reports = "reports" in smk.input.keys()
        main(list(smk.input.reports if reports else smk.input.profiles), list(smk.params.samples),
             kraken_report if reports else metaphlan_profile, str(smk.params.rank), float(smk.params.min_reads),
             smk.output.counts, smk.output.relative)
