"""Synthetic data for the long-read isoform workflow (seeded, so every run is the same).

A 20 kb contig carries four genes with canonical splice sites (GT...AG on the transcript's strand):
- geneA (+, 3 exons): the annotated isoform txA1 uses all three; the novel isoform NOVEL_SKIP skips exon 2 and is
  not in the annotation;
- geneB (-, 2 exons): annotated, expressed equally in both samples;
- geneC (+, 2 exons): annotated, never expressed;
- geneD (+, 2 exons): expressed but not annotated at all (a novel gene).
Two samples: `stage_a` expresses txA1 only; `stage_b` mostly the novel exon-skipping isoform (the isoform switch
of EXPRESSION). Reads are full-length cDNA (random start within the first 30 nt, a 15-25 nt poly(A) tail), on
either strand as in ONT cDNA, with ~3% errors (lra._long_read).

tests/modules/workflows/longread_isoforms.py runs the workflow on it; the module checks
(library/modules/<id>/test/check.py) compare the outputs with this planted truth.
"""

from __future__ import annotations

import random
from pathlib import Path

from biopipelines.library.testdata import synthetic as syn
from biopipelines.library.testdata import synthetic_longread_assembly as lra

CONTIG = "chr1"
LENGTH = 20_000
# transcript id -> (gene id, strand, 1-based inclusive exons in genome order, annotated?)
TRANSCRIPTS = {
    "txA1": ("geneA", "+", ((1_001, 1_400), (2_001, 2_150), (3_001, 3_600)), True),
    "NOVEL_SKIP": ("geneA", "+", ((1_001, 1_400), (3_001, 3_600)), False),
    "txB1": ("geneB", "-", ((6_001, 6_500), (7_001, 7_700)), True),
    "txC1": ("geneC", "+", ((10_001, 10_400), (11_001, 11_400)), True),
    "NOVEL_GENE": ("geneD", "+", ((14_001, 14_500), (15_001, 15_600)), False),
}
SAMPLES = ("stage_a", "stage_b")
EXPRESSION = {  # reads per transcript and sample
    "stage_a": {"txA1": 60, "NOVEL_SKIP": 0, "txB1": 50, "txC1": 0, "NOVEL_GENE": 30},
    "stage_b": {"txA1": 15, "NOVEL_SKIP": 60, "txB1": 50, "txC1": 0, "NOVEL_GENE": 30},
}
SKIPPED_INTRON = (1_401, 3_000)  # 1-based intron of NOVEL_SKIP: exon 1 joined straight to exon 3


def genome() -> str:
    """The contig with GT...AG (or CT...AC on the minus strand) at every planted intron."""
    rng = random.Random("isoforms")
    seq = list("".join(rng.choice(syn.BASES) for _ in range(LENGTH)))
    for _, strand, exons, _ in TRANSCRIPTS.values():
        for (_, end), (start, _) in zip(exons, exons[1:]):
            donor, acceptor = ("GT", "AG") if strand == "+" else ("CT", "AC")
            seq[end:end + 2] = donor  # first two intron bases (0-based end = 1-based end + 1 start)
            seq[start - 3:start - 1] = acceptor  # last two intron bases
    return "".join(seq)


def transcript(ref: str, tx: str) -> str:
    """The mRNA of `tx`, 5' to 3'."""
    _, strand, exons, _ = TRANSCRIPTS[tx]
    spliced = "".join(ref[s - 1:e] for s, e in exons)
    return spliced if strand == "+" else syn.revcomp(spliced)


def write_gtf(path: Path) -> Path:
    """The annotation: the annotated transcripts only (no NOVEL_* models)."""
    lines = []
    for tx, (gene, strand, exons, annotated) in TRANSCRIPTS.items():
        if not annotated:
            continue
        attrs = f'gene_id "{gene}"; transcript_id "{tx}"; gene_name "{gene}";'
        lines.append(f"{CONTIG}\ttoy\ttranscript\t{exons[0][0]}\t{exons[-1][1]}\t.\t{strand}\t.\t{attrs}")
        lines += [f"{CONTIG}\ttoy\texon\t{s}\t{e}\t.\t{strand}\t.\t{attrs} exon_number \"{n}\";"
                  for n, (s, e) in enumerate(exons, 1)]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n")
    return path


def write_reference(folder: Path) -> dict[str, Path]:
    return {"fasta": syn.write_fasta(folder / "genome.fa", {CONTIG: genome()}), "gtf": write_gtf(folder / "genes.gtf")}


def cdna_reads(ref: str, sample: str) -> list[str]:
    rng = random.Random(f"isoform-reads-{sample}")
    reads = []
    for tx, count in EXPRESSION[sample].items():
        mrna = transcript(ref, tx)
        for _ in range(count):
            molecule = mrna[rng.randint(0, 30):] + "A" * rng.randint(15, 25)
            reads.append(lra._long_read(molecule if rng.random() < 0.5 else syn.revcomp(molecule), rng, 0.03))
    rng.shuffle(reads)
    return reads


def write_samples(folder: Path) -> list[dict]:
    ref = genome()
    return [{"sample": s, "fq1": str(lra.write_long_reads(folder, s, cdna_reads(ref, s)))} for s in SAMPLES]
