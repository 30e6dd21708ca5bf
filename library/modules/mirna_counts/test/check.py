"""The count matrix agrees with idxstats, and the planted miRNA is over 4x up in treated.

Run on the `smallrna_bowtie_deseq2` workflow (tests/modules/workflows/smallrna_ribo.py)."""

from __future__ import annotations

from biopipelines.library.testdata import synthetic_smallrna_ribo as srr
from tests.modules.harness import Run
from tests.modules.outputs_smallrna_ribo import idxstats_counts
from tests.modules.readers import table

WORKFLOW = "smallrna_bowtie_deseq2"


def check(run: Run) -> None:
    rows = table(run.path("results/mirna_counts/mirna_counts.tsv"))
    samples = [f"{c}_{r}" for c in ("control", "treated") for r in (1, 2, 3)]
    assert list(rows[0]) == ["Geneid", "Chr", "Start", "End", "Strand", "Length", *samples]
    matrix = {r["Geneid"]: [int(r[s]) for s in samples] for r in rows}
    assert set(matrix) == set(srr.mirnas())
    for index, sample in enumerate(samples):
        assert {name: values[index] for name, values in matrix.items()} == idxstats_counts(run, sample)
    up = matrix[srr.MIR_UP]
    assert sum(up[3:]) > 4 * sum(up[:3])
    summary = table(run.path("results/mirna_counts/mirna_counts_mqc.tsv"))
    assert [r["Sample"] for r in summary] == samples
    assert int(summary[0]["miRNA reads"]) == sum(v[0] for v in matrix.values())
