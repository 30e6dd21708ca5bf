"""MACS3 (ATAC mode) puts its strongest peak on the planted open-chromatin site; the ATAC sample's FRiP (chip_frip,
after the blacklist filter) reflects the planted enrichment.

Run on the `atacseq_default` workflow (tests/modules/workflows/core.py): chip_1 has 1,500 fragments around PEAK and
300 around the blacklisted ARTEFACT over 6,000 uniform background fragments, so about 1,500 / 7,800 = 0.19 of its
reads (plus the background under the peak) lie in its filtered peaks."""

from __future__ import annotations

from tests.modules.harness import Run
from tests.modules.outputs_core import assert_strongest_peak_on_planted_site
from tests.modules.readers import table

WORKFLOW = "atacseq_default"


def check(run: Run) -> None:
    assert_strongest_peak_on_planted_site(run.path("results/macs3_atac/chip_1/chip_1.peaks.bed"))
    # the cohort design has no controls: every sample gets a FRiP, over its blacklist-filtered peaks
    rows = table(run.path("results/chip_frip/chip_1.frip_mqc.tsv"))
    assert [r["Sample"] for r in rows] == ["chip_1"], rows
    kept = [line for line in run.path("results/bedtools_blacklist/chip_1.peaks.bed").read_text().splitlines() if line]
    assert int(rows[0]["Peaks"]) == len(kept) >= 1, (rows, kept)
    assert 0.12 < float(rows[0]["FRiP"]) < 0.35, rows
