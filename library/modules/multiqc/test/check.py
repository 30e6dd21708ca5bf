"""The MultiQC report names the first sample and carries FastQC's section.

Run on the `rnaseq_star_deseq2` workflow (tests/modules/workflows/core.py)."""

from __future__ import annotations

from tests.modules.harness import Run
from tests.modules.outputs_core import first_sample

WORKFLOW = "rnaseq_star_deseq2"


def check(run: Run) -> None:
    html = run.path("results/multiqc/multiqc_report.html").read_text(errors="replace")
    assert first_sample(run) in html
    assert "fastqc" in html.lower()
