"""The fingerprint separates the planted ChIP from its flat input control.

Run on the `chipseq_bowtie2_macs` workflow (tests/modules/workflows/core.py): chip_1 carries 1,500 fragments
piled on one summit over a uniform background, input_1 only the uniform background."""

from __future__ import annotations

from tests.modules.harness import Run
from tests.modules.readers import table

WORKFLOW = "chipseq_bowtie2_macs"


def check(run: Run) -> None:
    folder = "results/deeptools_plotfingerprint"
    metrics = {r["Sample"]: r for r in table(run.path(f"{folder}/fingerprint.qc_metrics.tsv"))}
    assert set(metrics) == {"chip_1", "input_1"}, metrics
    # the enriched bins hold more of the ChIP's reads: its curve sits lower (smaller AUC) than the input's
    assert float(metrics["chip_1"]["AUC"]) < float(metrics["input_1"]["AUC"]), metrics
    counts = run.path(f"{folder}/fingerprint.raw_counts.tsv").read_text().splitlines()
    assert counts[0].startswith("#plotFingerprint --outRawCounts"), counts[0]
    assert "'chip_1'" in counts[1] and "'input_1'" in counts[1], counts[1]
    assert run.path(f"{folder}/fingerprint.pdf").stat().st_size > 1000
    # MultiQC's deepTools module parsed both files
    sources = run.path("results/multiqc/multiqc_report_data/multiqc_sources.txt").read_text()
    assert "fingerprint.raw_counts.tsv" in sources and "fingerprint.qc_metrics.tsv" in sources, sources
