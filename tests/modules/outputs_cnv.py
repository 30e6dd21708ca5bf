"""Readers and planted-truth comparisons that several CNVkit module checks of the cnv_cnvkit workflow
(tests/modules/workflows/cnv.py) share; a helper only one check uses stays in that check.py."""

from __future__ import annotations

from biopipelines.library.testdata import synthetic_cnv as cnv
from tests.modules.harness import Run
from tests.modules.readers import table

WORKFLOW = "cnv_cnvkit"


def rows(run: Run, relative: str) -> list[dict[str, str]]:
    """A CNVkit table (.cnr, .cns, .cnn, genemetrics): tab-separated with a header line."""
    return table(run.path(relative))


def overlaps(row: dict[str, str], region: tuple[str, int, int]) -> bool:
    contig, start, end = region
    return row["chromosome"] == contig and int(row["start"]) < end and int(row["end"]) > start


def inside(row: dict[str, str], region: tuple[str, int, int]) -> bool:
    contig, start, end = region
    return row["chromosome"] == contig and int(row["start"]) >= start and int(row["end"]) <= end


def planted() -> dict[str, tuple[tuple[str, int, int], int]]:
    """sample -> (the region of its planted CNV, its copy number there)."""
    return {cnv.DELETION_SAMPLE: (cnv.planted_region(cnv.DELETED_GENES), 1),
            cnv.DUPLICATION_SAMPLE: (cnv.planted_region(cnv.DUPLICATED_GENES), 3)}
