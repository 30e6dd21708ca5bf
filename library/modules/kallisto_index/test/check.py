"""The kallisto index and transcript-to-gene map cover every planted transcript.

Run on the `sc_kallisto` workflow (tests/modules/workflows/sc_fusion.py)."""

from __future__ import annotations

from biopipelines.library.testdata import synthetic as syn
from tests.modules.harness import Run

WORKFLOW = "sc_kallisto"


def check(run: Run) -> None:
    assert run.path("resources/kallisto_index/transcriptome.idx").stat().st_size > 0
    rows = [line.split("\t") for line in run.path("resources/kallisto_index/t2g.tsv").read_text().splitlines()]
    assert rows == [[g.transcript_id, g.gene_id, g.gene_name] for g in syn.genes()]
