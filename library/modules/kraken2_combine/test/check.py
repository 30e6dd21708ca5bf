"""The combined tables agree with each Kraken2 report and the planted proportions.

Run on the `profiling_kraken2` workflow (tests/modules/workflows/metagenomics.py)."""

from __future__ import annotations

from biopipelines.library.testdata import synthetic_metagenomics as syn
from tests.modules.harness import Run
from tests.modules.outputs_metagenomics import kraken_report
from tests.modules.readers import tsv

WORKFLOW = "profiling_kraken2"


def check(run: Run) -> None:
    counts = {row["taxid"]: row for row in tsv(run.path("results/kraken2_combine/taxon_counts.tsv"))}
    relative = {row["taxid"]: row for row in tsv(run.path("results/kraken2_combine/taxon_relative_abundance.tsv"))}
    assert list(counts)[:2] in ([str(syn.MAJOR), str(syn.MINOR)], [str(syn.MINOR), str(syn.MAJOR)])
    assert counts[str(syn.MAJOR)]["name"] == "Alphagenus primus"
    for sample, mixture in syn.MIXTURE.items():
        report = kraken_report(run.path(f"results/kraken2/{sample}.kreport"))
        assert float(counts[str(syn.MAJOR)][sample]) == report[str(syn.MAJOR)][0]
        assert abs(float(relative[str(syn.MAJOR)][sample]) - 100 * mixture[syn.MAJOR]) < 3
        assert abs(float(relative[str(syn.MINOR)][sample]) - 100 * mixture[syn.MINOR]) < 3
