"""idxstats counts the reads made for each planted miRNA, the planted one over 4x up in treated.

Run on the `smallrna_bowtie_deseq2` workflow (tests/modules/workflows/smallrna_ribo.py)."""

from __future__ import annotations

from biopipelines.library.testdata import synthetic_smallrna_ribo as srr
from tests.modules.harness import Run
from tests.modules.outputs_smallrna_ribo import idxstats_counts
from tests.modules.workflows.smallrna_ribo import TRUTH

WORKFLOW = "smallrna_bowtie_deseq2"


def check(run: Run) -> None:
    truth = TRUTH["smallrna_bowtie_deseq2"]
    for sample in ("control_1", "treated_1"):
        counts = idxstats_counts(run, sample)
        assert set(counts) == set(srr.mirnas())
        for name, made in truth[sample].items():
            assert 0.95 * made <= counts[name] <= made, (sample, name, counts[name], made)
    assert idxstats_counts(run, "treated_1")[srr.MIR_UP] > 4 * idxstats_counts(run, "control_1")[srr.MIR_UP]
