"""The BED12 holds every annotated transcript with its planted exons as blocks (0-based starts) and strand, and none
of the unannotated models.

Run on the `longread_isoforms_stringtie` workflow (tests/modules/workflows/longread_isoforms.py)."""

from __future__ import annotations

from biopipelines.library.testdata import synthetic_longread_isoforms as iso
from tests.modules.harness import Run

WORKFLOW = "longread_isoforms_stringtie"


def check(run: Run) -> None:
    rows = {f[3]: f for f in (line.split("\t") for line in
                              run.path("resources/gtf_junction_bed/annotation.bed12").read_text().splitlines())}
    annotated = {tx for tx, (*_, known) in iso.TRANSCRIPTS.items() if known}
    assert set(rows) == annotated
    for tx in annotated:
        _, strand, exons, _ = iso.TRANSCRIPTS[tx]
        row = rows[tx]
        start = int(row[1])
        blocks = [(start + int(o) + 1, start + int(o) + int(s))
                  for s, o in zip(row[10].rstrip(",").split(","), row[11].rstrip(",").split(","))]
        assert row[5] == strand and int(row[9]) == len(exons) and blocks == list(exons), (tx, row)
