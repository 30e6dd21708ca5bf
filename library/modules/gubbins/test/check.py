"""Gubbins finds the planted recombinant segment of isolate_6 (and nothing else), and the masked alignment has it
as N in isolate_6 only.

Run on the `outbreak_gubbins_iqtree` workflow (tests/modules/workflows/outbreak.py)."""

from __future__ import annotations

from biopipelines.library.testdata import synthetic_outbreak as ob
from tests.modules.harness import Run
from tests.modules.readers import fasta

WORKFLOW = "outbreak_gubbins_iqtree"


def check(run: Run) -> None:
    blocks = [line.split("\t") for line in run.path("results/gubbins/gubbins.recombination_predictions.gff")
              .read_text().splitlines() if line and not line.startswith("#")]
    assert len(blocks) == 1, blocks
    start, end = int(blocks[0][3]), int(blocks[0][4])
    assert f'taxa="{ob.RECOMBINANT}"' in blocks[0][8].replace('"  ', '"').replace('" ', '"')
    _, _, recombinant = ob.planted()
    first, last = recombinant[0][1], recombinant[-1][1]  # chr1 comes first in the alignment
    assert start <= first and last <= end and end - start < 2 * (ob.RECOMBINATION[2] - ob.RECOMBINATION[1])
    masked = fasta(run.path("results/gubbins/masked_alignment.fasta"))
    original = fasta(run.path("results/pseudogenome_align/genome_alignment.fasta"))
    assert set(masked[ob.RECOMBINANT][start - 1:end]) == {"N"}
    assert all(masked[s] == original[s] for s in original if s != ob.RECOMBINANT)
