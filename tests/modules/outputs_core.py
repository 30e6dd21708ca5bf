"""Readers and planted-truth comparisons that several module checks of the core workflows
(tests/modules/workflows/core.py) share; a helper only one check uses stays in that check.py."""

from __future__ import annotations

from pathlib import Path

from biopipelines.library.testdata import synthetic as syn
from tests.modules.harness import Run
from tests.modules.readers import strongest_peak, table, vcf_records


def snv_genotypes(path) -> list[str]:
    """Genotypes of the planted SNV (empty when it was not called)."""
    contig, pos = syn.SNV
    for fields in vcf_records(path):
        if fields[0] == contig and int(fields[1]) == pos:
            assert fields[3] == syn.snv_ref() and syn.snv_alt() in fields[4].split(","), fields[:5]
            keys = fields[8].split(":")
            return [sample.split(":")[keys.index("GT")] for sample in fields[9:]]
    return []


def first_sample(run: Run) -> str:
    if "rnaseq" in run.root.name:
        return "control_1"
    return "chip_1" if "chipseq" in run.root.name or "atac" in run.root.name else "sample_1"


def top_de_gene(run: Run, module: str) -> dict[str, str]:
    rows = table(run.path(f"results/{module}/de_results.tsv"))
    assert len(rows) == syn.GENES
    return rows[0]


def assert_strongest_peak_on_planted_site(bed: Path) -> None:
    """MACS3's strongest peak (ChIP or ATAC mode) covers the planted site, within 300 bp."""
    best = strongest_peak(bed)
    contig, summit = syn.PEAK
    assert best[0] == contig and int(best[1]) - 300 < summit < int(best[2]) + 300
