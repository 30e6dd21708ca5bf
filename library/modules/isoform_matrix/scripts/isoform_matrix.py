"""Transcript x sample matrices from StringTie2 `-e` runs on the merged models: TPM (compare within and, with
care, between samples) and per-base coverage (StringTie's own estimate; prepDE.py turns it into read counts).

Each transcript gets a status: `known` when it carries a reference transcript ID (StringTie keeps them from `-G`:
the `reference_id` attribute, or a transcript_id that is not one of StringTie's generated MSTRG/sample-prefixed
IDs); `novel_isoform` when it is new but shares its merged locus (gene_id) with a known transcript, whose reference
gene it then names; `novel_gene` otherwise. gffcompare's class codes give the finer classification."""

import re
import sys
from pathlib import Path

sys.stderr = open(snakemake.log[0], "w")  # noqa: F821 (snakemake is injected by the script: directive)
ATTRIBUTE = re.compile(r'(\S+) "([^"]*)"')


def transcripts(path):
    """transcript_id -> attributes of the sample's transcript lines."""
    found = {}
    with open(path) as gtf:
        for line in gtf:
            fields = line.rstrip("\n").split("\t")
            if line.startswith("#") or len(fields) < 9 or fields[2] != "transcript":
                continue
            attributes = dict(ATTRIBUTE.findall(fields[8]))
            found[attributes["transcript_id"]] = attributes
    return found


paths = [Path(p) for p in snakemake.input["abundances"]]  # noqa: F821
samples = [p.name.removesuffix(".gtf") for p in paths]
per_sample = [transcripts(p) for p in paths]
# identities from the merged models (the -e runs keep only gene_id and ref_gene_name)
first = transcripts(snakemake.input["models"])  # noqa: F821
ids = sorted(first)


def is_known(attributes):
    reference = attributes.get("reference_id") or attributes["transcript_id"]
    return not reference.startswith(("MSTRG.", *(f"{s}." for s in samples)))


# a novel model in a merged locus with known transcripts is a new isoform of their reference gene
locus_genes = {}
for attributes in first.values():
    if is_known(attributes) and attributes.get("ref_gene_id"):
        locus_genes.setdefault(attributes.get("gene_id"), attributes["ref_gene_id"])


def ref_gene(attributes):
    return attributes.get("ref_gene_id") or locus_genes.get(attributes.get("gene_id"), "")


def status(attributes):
    if is_known(attributes):
        return "known"
    return "novel_isoform" if ref_gene(attributes) else "novel_gene"


for key, output in (("TPM", "tpm"), ("cov", "coverage")):
    with open(snakemake.output[output], "w") as out:  # noqa: F821
        out.write("\t".join(["transcript_id", "gene_id", "ref_gene_id", "status", *samples]) + "\n")
        for transcript in ids:
            attributes = first[transcript]
            values = [s[transcript].get(key, "0") if transcript in s else "0" for s in per_sample]
            out.write("\t".join([transcript, attributes.get("gene_id", ""), ref_gene(attributes),
                                 status(attributes), *values]) + "\n")
novel = sum(status(first[t]) != "known" for t in ids)
print(f"{len(ids)} transcripts ({novel} novel) in {len(samples)} samples", file=sys.stderr)
