"""dexseq_count counts every bin, and the planted cassette exon's share drops in treated.

Run on the `splicing_dexseq` workflow (tests/modules/workflows/splice_methyl.py)."""

from __future__ import annotations

from biopipelines.library.testdata import synthetic_splice_methyl as sm
from tests.modules.harness import Run

WORKFLOW = "splicing_dexseq"


def _exon_counts(run: Run, sample: str) -> dict[str, int]:
    """Bin -> count, bins named gene:E001 (older scripts write gene:001)."""
    lines = run.path(f"results/dexseq_count/{sample}.counts.txt").read_text().splitlines()
    counts = {}
    for key, value in (line.split("\t") for line in lines):
        gene, _, part = key.strip('"').rpartition(":")
        counts[f"{gene}:E{part.lstrip('E')}" if gene else key] = int(value)
    return counts


def check(run: Run) -> None:
    control, treated = _exon_counts(run, "control_1"), _exon_counts(run, "treated_1")
    exon_bins = {k: v for k, v in control.items() if not k.startswith("_")}
    assert len(exon_bins) == 3 * sm.SPLICE_GENES
    assert sum(exon_bins.values()) > 3000 and min(exon_bins.values()) > 0  # every bin of every gene counted
    assert control["_empty"] < 0.05 * sum(exon_bins.values())  # reads land in the annotated bins
    middle = f"{sm.CASSETTE_GENE}:E002"
    first = f"{sm.CASSETTE_GENE}:E001"
    # the cassette exon's share of the gene's reads drops in the treated sample
    assert control[middle] / control[first] > 2 * treated[middle] / treated[first]
