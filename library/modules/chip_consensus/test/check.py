"""Consensus peaks keep the summit planted in both replicates and drop the one planted in only one.

Run on the `chipseq_replicates` workflow (tests/modules/workflows/core.py): chip_1 and chip_2 (antibody chip)
are both enriched around PEAK, chip_2 also around REPLICATE_ONLY_PEAK; tf_1 (antibody tf) is a single replicate,
which must be reported as having no consensus. Every ChIP sample also has the blacklisted ARTEFACT pile: the consensus
reads the blacklist-filtered peaks, so it has no region there."""

from __future__ import annotations

from biopipelines.library.testdata import synthetic as syn
from tests.modules.harness import Run
from tests.modules.readers import table


def _covers(row: list[str], site: tuple[str, int]) -> bool:
    return row[0] == site[0] and int(row[1]) < site[1] <= int(row[2])


WORKFLOW = "chipseq_replicates"


def check(run: Run) -> None:
    folder = "results/chip_consensus"
    rows = [line.split("\t") for line in run.path(f"{folder}/consensus_peaks.bed").read_text().splitlines()]
    assert rows, "no consensus region at all"
    assert {r[6] for r in rows} == {"chip"}, rows  # the single-replicate antibody gets none
    planted = [r for r in rows if _covers(r, syn.PEAK)]
    assert len(planted) == 1 and planted[0][7].strip() == "chip_1,chip_2" and planted[0][4] == "2", planted
    assert not [r for r in rows if _covers(r, syn.REPLICATE_ONLY_PEAK)], rows
    # the artefact pile is in both replicates, but the blacklist filter before the consensus removed it
    assert not [r for r in rows if _covers(r, syn.ARTEFACT)], rows
    # the replicate-only summit was called in chip_2: it is dropped by the consensus, not missed by MACS
    own = [line.split("\t") for line in
           run.path("results/macs3_callpeak/chip_2/chip_2.peaks.bed").read_text().splitlines()]
    assert [r for r in own if _covers(r, syn.REPLICATE_ONLY_PEAK)], own
    summary = {r["Antibody"]: r for r in table(run.path(f"{folder}/consensus_mqc.tsv"))}
    assert summary["chip"]["Replicates"] == "2" and int(summary["chip"]["Consensus peaks"]) >= 1
    assert summary["tf"]["Replicates"] == "1" and summary["tf"]["Consensus peaks"] == "NA"
    assert "no consensus" in summary["tf"]["Note"]
