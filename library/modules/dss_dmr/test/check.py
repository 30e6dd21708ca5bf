"""DSS calls the planted differentially methylated region, and nothing outside it.

Run on the `bisulfite_targeted` workflow (tests/modules/workflows/splice_methyl.py)."""

from __future__ import annotations

from biopipelines.library.testdata import synthetic_splice_methyl as sm
from tests.modules.harness import Run
from tests.modules.readers import tsv as table

WORKFLOW = "bisulfite_targeted"


def check(run: Run) -> None:
    contig, start, end = sm.DMR
    dmrs = table(run.path("results/dss_dmr/dmr.tsv"))
    assert dmrs, "no DMR called"
    hits = [r for r in dmrs if r["chr"] == contig and int(r["start"]) <= end and int(r["end"]) >= start]
    assert hits, dmrs[:3]
    best = max(hits, key=lambda r: abs(float(r["areaStat"])))
    overlap = min(end, int(best["end"])) - max(start, int(best["start"]))
    assert overlap > 0.6 * (end - start)
    # diff.Methy is group 1 (treated, the contrast's numerator) minus group 2 (control)
    assert float(best["diff.Methy"]) < -0.5
    assert len(dmrs) == len(hits)  # nothing called outside the planted region
    dmls = table(run.path("results/dss_dmr/dml.tsv"))
    inside = [r for r in dmls if sm.in_dmr(r["chr"], int(r["pos"]))]
    assert len(inside) > 0.8 * len(dmls) and len(inside) > 20
