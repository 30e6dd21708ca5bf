"""Picard finds the planted 220 bp insert size and its spread.

Run on the `atacseq_bedgraph` workflow (tests/modules/workflows/metagenome_assembly.py)."""

from __future__ import annotations

from biopipelines.library.testdata import synthetic_metagenome_assembly as meta
from tests.modules.harness import Run

WORKFLOW = "atacseq_bedgraph"


def check(run: Run) -> None:
    lines = run.path("results/picard_collectinsertsizemetrics/chip_1.insert_size_metrics.txt").read_text() \
        .splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("MEDIAN_INSERT_SIZE"))
    row = dict(zip(lines[header].split("\t"), lines[header + 1].split("\t"), strict=False))
    assert row["PAIR_ORIENTATION"] == "FR"
    # fragments were simulated at 220 +- 20 bp
    assert abs(float(row["MEDIAN_INSERT_SIZE"]) - meta.syn.FRAGMENT) < 10
    assert 10 < float(row["STANDARD_DEVIATION"]) < 35
    assert int(row["READ_PAIRS"]) > 1000
    assert any(line.startswith("insert_size") for line in lines)  # the histogram table follows the metrics
    pdf = run.path("results/picard_collectinsertsizemetrics/chip_1.insert_size_histogram.pdf").read_bytes()
    assert pdf.startswith(b"%PDF")
