"""Synthetic exome data for the copy-number execution test (seeded, so every run is the same).

A capture "kit" on library/testdata/synthetic.py's two-contig genome: 150 bp exons every 600 bp, grouped six to a
gene (the BED's 4th column names the gene, as a kit's target file does), and four samples of paired reads drawn
from the exons (plus a little off-target background) at depths proportional to each exon's copy number:

- DELETION_SAMPLE carries a heterozygous deletion (1 copy) of DELETED_GENES on chr1;
- DUPLICATION_SAMPLE carries a duplication (3 copies) of DUPLICATED_GENES on chr2;
- the other samples are diploid throughout. Library sizes differ by up to 25%, which normalisation must absorb.

tests/modules/workflows/cnv.py runs the cnv_calling workflow on it; library/modules/cnvkit_*/test/check.py and
tests/modules/test_modules_cnv.py compare its outputs with this planted truth.
"""

from __future__ import annotations

import gzip
import random
from dataclasses import dataclass
from pathlib import Path

from biopipelines.library.testdata import synthetic as syn

EXON_LEN = 150
EXON_SPACING = 600
EXONS_PER_GENE = 6
FRAGMENTS_PER_EXON = 110  # at 2 copies: ~110x mean depth over an exon with 2x75 bp reads
OFF_TARGET_PAIRS = 400
SAMPLES = {"sample_1": 1.0, "sample_2": 0.8, "sample_3": 1.2, "sample_4": 0.9}  # relative library sizes
DELETION_SAMPLE = "sample_1"
DUPLICATION_SAMPLE = "sample_2"


@dataclass(frozen=True)
class Exon:
    contig: str
    start: int  # 0-based, BED
    end: int
    gene: str


def exons() -> list[Exon]:
    found = []
    for contig, length in syn.CONTIGS.items():
        starts = range(300, length - EXON_LEN - 300, EXON_SPACING)
        for index, start in enumerate(starts):
            found.append(Exon(contig, start, start + EXON_LEN, f"{contig.upper()}G{index // EXONS_PER_GENE + 1}"))
    return found


def genes_on(contig: str) -> list[str]:
    return list(dict.fromkeys(e.gene for e in exons() if e.contig == contig))


DELETED_GENES = genes_on("chr1")[2:4]  # 12 exons, ~7 kb of chr1
DUPLICATED_GENES = genes_on("chr2")[1:3]  # 12 exons, ~7 kb of chr2


def copy_number(sample: str, exon: Exon) -> int:
    if sample == DELETION_SAMPLE and exon.gene in DELETED_GENES:
        return 1
    if sample == DUPLICATION_SAMPLE and exon.gene in DUPLICATED_GENES:
        return 3
    return 2


def planted_region(genes: list[str]) -> tuple[str, int, int]:
    """(contig, start, end) spanned by the exons of `genes` (0-based, half-open)."""
    members = [e for e in exons() if e.gene in genes]
    return members[0].contig, members[0].start, members[-1].end


def write_targets(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(f"{e.contig}\t{e.start}\t{e.end}\t{e.gene}\n" for e in exons()))
    return path


def _fragment(ref: str, start: int, rng: random.Random) -> tuple[str, str]:
    size = max(syn.READ_LEN + 10, int(rng.gauss(syn.FRAGMENT, 20)))
    start = min(max(0, start), len(ref) - size)
    piece = ref[start:start + size]
    if rng.random() < 0.5:  # fragments from both strands
        piece = syn.revcomp(piece)
    return syn._mutate(piece[:syn.READ_LEN], rng), syn._mutate(syn.revcomp(piece[-syn.READ_LEN:]), rng)


def _pairs(sample: str, scale: float, rng: random.Random):
    ref = syn.genome()
    for exon in exons():
        mean = FRAGMENTS_PER_EXON * scale * copy_number(sample, exon) / 2
        for _ in range(max(0, round(rng.gauss(mean, mean ** 0.5)))):
            # a captured fragment overlaps its bait: its start lies up to one fragment length before the exon's end
            yield _fragment(ref[exon.contig], rng.randint(exon.start - syn.FRAGMENT + 40, exon.end - 40), rng)
    for _ in range(OFF_TARGET_PAIRS):
        contig = rng.choice(list(ref))
        yield _fragment(ref[contig], rng.randint(0, len(ref[contig])), rng)


def write_reference(folder: Path) -> dict[str, Path]:
    return {"fasta": syn.write_fasta(folder / "genome.fa", syn.genome())}


def exome_reads(folder: Path) -> list[dict]:
    rows = []
    for sample, scale in SAMPLES.items():
        r1, r2 = syn.write_reads(folder, sample, _pairs(sample, scale, random.Random(f"cnv-{sample}")))
        rows.append({"sample": sample, "fq1": str(r1), "fq2": str(r2)})
    return rows
