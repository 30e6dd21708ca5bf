"""featureCounts counts every planted gene in every sample, and the planted DE gene over 4x higher in treated.

Run on the `rnaseq_star_deseq2` workflow (tests/modules/workflows/core.py)."""

from __future__ import annotations

from biopipelines.library.testdata import synthetic as syn
from tests.modules.harness import Run
from tests.modules.readers import table

WORKFLOW = "rnaseq_star_deseq2"


def _gene_counts(run: Run) -> dict[str, list[float]]:
    rows = table(run.path("results/featurecounts/counts.tsv"))
    return {r["Geneid"]: [float(v) for k, v in r.items() if k.endswith(".bam")] for r in rows}


def check(run: Run) -> None:
    counts = _gene_counts(run)
    assert set(counts) == {g.gene_id for g in syn.genes()}
    assert all(min(v) > 40 for v in counts.values())  # every gene counted in every sample
    up = counts[syn.GENE_UP]
    assert sum(up[3:]) > 4 * sum(up[:3])  # columns: control_1..3, treated_1..3 (sample sheet order)
