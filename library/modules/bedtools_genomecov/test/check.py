"""The bedGraph covers the synthetic contigs and is over 5x higher at the planted open site.

Run on the `atacseq_bedgraph` workflow (tests/modules/workflows/metagenome_assembly.py)."""

from __future__ import annotations

from biopipelines.library.testdata import synthetic_metagenome_assembly as meta
from tests.modules.harness import Run

WORKFLOW = "atacseq_bedgraph"


def _bedgraph_mean(rows: list[tuple[str, int, int, float]], contig: str, start: int, end: int) -> float:
    covered = sum((min(e, end) - max(s, start)) * v for c, s, e, v in rows if c == contig and e > start and s < end)
    return covered / (end - start)


def check(run: Run) -> None:
    rows = []
    for line in run.path("results/bedtools_genomecov/chip_1.bedGraph").read_text().splitlines():
        contig, start, end, value = line.split("\t")
        rows.append((contig, int(start), int(end), float(value)))
    assert {r[0] for r in rows} == set(meta.syn.CONTIGS)
    assert all(s < e and v > 0 for _, s, e, v in rows)  # runs of equal depth; uncovered stretches left out
    contig, summit = meta.syn.PEAK
    peak, background = _bedgraph_mean(rows, contig, summit - 200, summit + 200), _bedgraph_mean(rows, contig, 2000,
                                                                                                12000)
    assert peak > 5 * background > 0  # the planted open-chromatin site stands out of the background
