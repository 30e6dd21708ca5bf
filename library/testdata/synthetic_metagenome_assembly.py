"""A toy microbial community with a planted truth, for the metagenome assembly and binning workflow.

Three random "genomes" of 40 kb with different GC content (35%, 50%, 65%: the composition signal binners use) are
sequenced in two samples at different, sample-specific depths (the coverage signal), plus an 800 bp element that only the contig filter should remove. Reads are simulated like
library/testdata/synthetic.py (uniform fragments, 0.1% substitution errors, 75 bp paired reads, gzip FASTQ).

A shared test dataset (like nf-core's test-datasets): tests/modules/workflows/ (metagenome_assembly.py) runs
workflows on it, and several modules' checks (library/modules/<id>/test/check.py) compare their outputs
with its planted truth.
"""

from __future__ import annotations

import random
from pathlib import Path

from biopipelines.library.testdata import synthetic as syn

GENOME_LENGTH = 40_000
GC = {"genome_a": 0.35, "genome_b": 0.50, "genome_c": 0.65}
# a short high-copy element (a small plasmid): it assembles into one contig that the contig filter removes
ELEMENT = "element_x"
ELEMENT_LENGTH = 800
# planted fold coverage of each genome in each sample: the order differs between samples
DEPTH = {
    "sample_1": {"genome_a": 40, "genome_b": 16, "genome_c": 8, ELEMENT: 30},
    "sample_2": {"genome_a": 10, "genome_b": 32, "genome_c": 16, ELEMENT: 30},
}


def genomes(seed: int = 11) -> dict[str, str]:
    rng = random.Random(seed)
    found = {}
    for name, gc in GC.items():
        weights = [(1 - gc) / 2, gc / 2, gc / 2, (1 - gc) / 2]  # A C G T
        found[name] = "".join(rng.choices("ACGT", weights=weights, k=GENOME_LENGTH))
    found[ELEMENT] = "".join(rng.choices("ACGT", k=ELEMENT_LENGTH))
    return found


def community_reads(folder: Path) -> list[dict]:
    """Paired reads of each sample: every genome at its planted depth, shuffled together."""
    planted = genomes()
    rows = []
    for sample, depths in DEPTH.items():
        rng = random.Random(f"{sample}-meta")
        pairs = []
        for name, seq in planted.items():
            pairs += list(syn._pairs(seq, len(seq) * depths[name] // (2 * syn.READ_LEN), rng))
        rng.shuffle(pairs)
        r1, r2 = syn.write_reads(folder, sample, pairs)
        rows.append({"sample": sample, "fq1": str(r1), "fq2": str(r2)})
    return rows


def write_truth(folder: Path) -> Path:
    return syn.write_fasta(folder / "community.fa", genomes())
