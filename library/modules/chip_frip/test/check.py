"""FRiP of the planted ChIP sample matches the enrichment it was built with.

Run on the `chipseq_bowtie2_macs` workflow (tests/modules/workflows/core.py): chip_1 has 1,500 fragments around
PEAK over 6,000 uniform background fragments on a 50 kb genome, so about 1,500 / 7,500 = 0.2 of its reads sit in
the planted peak (plus the little background under it), while the input's uniform reads would put well under
0.05 there."""

from __future__ import annotations

from tests.modules.harness import Run
from tests.modules.readers import table

WORKFLOW = "chipseq_bowtie2_macs"


def check(run: Run) -> None:
    rows = table(run.path("results/chip_frip/chip_1.frip_mqc.tsv"))
    assert [r["Sample"] for r in rows] == ["chip_1"]
    row = rows[0]
    frip = float(row["FRiP"])
    assert 0.15 < frip < 0.35, row
    assert int(row["Reads in peaks"]) < int(row["Reads"]) and int(row["Peaks"]) >= 1
    # the input control is not a ChIP sample, so it gets no FRiP of its own
    assert not run.path("results/chip_frip/input_1.frip_mqc.tsv").exists()
    # MultiQC reads the table as custom content (its id names the section's data file)
    parsed = table(run.path("results/multiqc/multiqc_report_data/multiqc_chip_frip-plot.txt"))
    assert [r["Sample"] for r in parsed] == ["chip_1"], parsed
