"""The alignment holds the reference and every isolate at the reference's length, and its table counts isolate_5's
masked region.

Run on the `outbreak_gubbins_iqtree` workflow (tests/modules/workflows/outbreak.py)."""

from __future__ import annotations

import csv

from biopipelines.library.testdata import synthetic as syn
from biopipelines.library.testdata import synthetic_outbreak as ob
from tests.modules.harness import Run
from tests.modules.readers import fasta

WORKFLOW = "outbreak_gubbins_iqtree"


def check(run: Run) -> None:
    length = sum(len(s) for s in syn.genome().values())
    alignment = fasta(run.path("results/pseudogenome_align/genome_alignment.fasta"))
    assert list(alignment) == [ob.REFERENCE_NAME, *ob.ISOLATES]
    assert alignment[ob.REFERENCE_NAME] == "".join(syn.genome().values())
    assert {len(s) for s in alignment.values()} == {length}
    with run.path("results/pseudogenome_align/alignment_stats.tsv").open(newline="") as handle:
        stats = {row["sequence"]: row for row in csv.DictReader(handle, delimiter="\t")}
    assert int(stats[ob.REFERENCE_NAME]["masked"]) == 0
    missing = ob.MISSING[2] - ob.MISSING[1] + 1
    assert int(stats[ob.MISSING_SAMPLE]["masked"]) >= missing
    assert all(int(stats[s]["masked"]) < missing for s in ob.ISOLATES if s != ob.MISSING_SAMPLE)
    assert all(int(r["called"]) + int(r["masked"]) == length for r in stats.values())
