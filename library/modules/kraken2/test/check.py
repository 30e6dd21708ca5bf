"""Kraken2 assigns the reads to the two planted species in their planted proportions, and no decoy.

Run on the `profiling_kraken2` workflow (tests/modules/workflows/metagenomics.py)."""

from __future__ import annotations

import gzip

from biopipelines.library.testdata import synthetic_metagenomics as syn
from tests.modules.harness import Run
from tests.modules.outputs_metagenomics import kraken_report

WORKFLOW = "profiling_kraken2"


def check(run: Run) -> None:
    for sample, mixture in syn.MIXTURE.items():
        report = kraken_report(run.path(f"results/kraken2/{sample}.kreport"))
        major, minor = report[str(syn.MAJOR)][0], report[str(syn.MINOR)][0]
        assert report[str(syn.MAJOR)][1] == "S" and report[str(syn.MINOR)][1] == "S"
        assert abs(major / (major + minor) - mixture[syn.MAJOR]) < 0.03, (sample, major, minor)
        assert major + minor > 0.95 * syn.MICROBIAL_PAIRS  # host reads were removed, microbial ones classified
        assert report.get(str(syn.DECOY), (0, "S"))[0] < 0.01 * syn.MICROBIAL_PAIRS  # absent species stays absent
        unclassified = report.get("0", (0, "U"))[0]
        assert unclassified < 0.02 * syn.MICROBIAL_PAIRS  # few unclassified pairs
        with gzip.open(run.path(f"results/kraken2/{sample}.kraken2.out.gz"), "rt") as handle:
            lines = [line.split("\t") for line in handle]
        assert len(lines) == report["1"][0] + unclassified  # one line per host-filtered pair
        by_read = {fields[1].split("/")[0]: fields[2] for fields in lines}
        wrong = sum(1 for name, taxid in by_read.items()
                    if taxid not in ("0", "1", "2", "100", "200") and not name.startswith(f"mic{taxid}_"))
        assert wrong < 0.01 * len(by_read), f"{wrong} reads assigned to a species they do not come from"
