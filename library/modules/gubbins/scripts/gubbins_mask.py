"""Gubbins on the whole-genome alignment, then its recombination predictions masked in the alignment.

Run by Snakemake's script: directive. Gubbins writes its files into the working directory, so it runs inside the
output folder under the prefix `gubbins`. Each block of recombination_predictions.gff (1-based alignment
coordinates, the taxa that inherited it in `taxa="..."`) becomes N in those taxa; the other sequences and columns
are unchanged, so the masked alignment keeps the reference's length and snp-sites' constant-site counts stay right.
"""

import re
import subprocess
from pathlib import Path

sm = snakemake  # noqa: F821 (defined by Snakemake)
alignment = Path(sm.input.alignment).resolve()
out = Path(sm.output.gff).resolve().parent
log = Path(sm.log[0]).resolve()
out.mkdir(parents=True, exist_ok=True)
with open(log, "w") as handle:
    subprocess.run(["run_gubbins.py", "--prefix", "gubbins", "--threads", str(sm.threads),
                    *str(sm.params.extra).split(), str(alignment)],
                   cwd=out, stdout=handle, stderr=subprocess.STDOUT, check=True)

blocks: dict[str, list[tuple[int, int]]] = {}
for line in Path(sm.output.gff).read_text().splitlines():
    fields = line.split("\t")
    if line.startswith("#") or len(fields) < 9:
        continue
    taxa = re.search(r'taxa="([^"]*)"', fields[8])
    for taxon in (taxa.group(1).split() if taxa else []):
        blocks.setdefault(taxon, []).append((int(fields[3]), int(fields[4])))


def masked(name: str, seq: str) -> tuple[str, int]:
    """The sequence with its recombinant blocks as N, and how many called bases that turned into N."""
    chars = bytearray(seq, "ascii")
    before = chars.count(b"N")
    for start, end in blocks.get(name, []):
        chars[start - 1:end] = b"N" * (end - start + 1)
    return chars.decode(), chars.count(b"N") - before


masked_bases = 0
with open(sm.output.alignment, "w") as handle:
    name, parts = None, []
    for line in [*alignment.read_text().splitlines(), ">"]:
        if line.startswith(">"):
            if name is not None:
                new, count = masked(name, "".join(parts))
                masked_bases += count
                handle.write(f">{name}\n{new}\n")
            name, parts = line[1:].split()[0] if len(line) > 1 else None, []
        else:
            parts.append(line.strip())
with open(log, "a") as handle:
    print(f"masked {masked_bases} bases in {sum(len(b) for b in blocks.values())} recombination blocks of "
          f"{len(blocks)} taxa", file=handle)
