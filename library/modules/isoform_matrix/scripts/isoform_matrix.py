"""Transcript x sample matrices from StringTie2 `-e` runs on the merged models: TPM (compare within and, with
care, between samples) and per-base coverage (StringTie's own estimate; prepDE.py turns it into read counts).

A transcript is `known` when it carries a reference transcript ID (StringTie keeps them from `-G`: the
`reference_id` attribute, or a transcript_id that is not one of StringTie's generated MSTRG/sample-prefixed IDs),
otherwise `novel`. gffcompare's class codes give the finer classification."""

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
ids = sorted(set().union(*per_sample))
first = {t: next(s[t] for s in per_sample if t in s) for t in ids}


def status(attributes):
    reference = attributes.get("reference_id") or attributes["transcript_id"]
    return "novel" if reference.startswith("MSTRG.") or reference.startswith(tuple(f"{s}." for s in samples)) \
        else "known"


for key, output in (("TPM", "tpm"), ("cov", "coverage")):
    with open(snakemake.output[output], "w") as out:  # noqa: F821
        out.write("\t".join(["transcript_id", "gene_id", "ref_gene_id", "status", *samples]) + "\n")
        for transcript in ids:
            attributes = first[transcript]
            values = [s[transcript].get(key, "0") if transcript in s else "0" for s in per_sample]
            out.write("\t".join([transcript, attributes.get("gene_id", ""), attributes.get("ref_gene_id", ""),
                                 status(attributes), *values]) + "\n")
novel = sum(status(first[t]) == "novel" for t in ids)
print(f"{len(ids)} transcripts ({novel} novel) in {len(samples)} samples", file=sys.stderr)
