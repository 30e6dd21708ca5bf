"""CNVkit scatter and diagram: each sample gets a real PNG scatter plot (PNG signature, a canvas of at least
500x300 pixels) and a PDF ideogram (PDF header, one page or more).

Run on the `cnv_cnvkit` workflow (tests/modules/workflows/cnv.py)."""

from __future__ import annotations

import struct

from biopipelines.library.testdata import synthetic_cnv as cnv
from tests.modules.harness import Run

WORKFLOW = "cnv_cnvkit"


def check(run: Run) -> None:
    for sample in cnv.SAMPLES:
        png = run.path(f"results/cnvkit_plots/{sample}.scatter.png").read_bytes()
        assert png[:8] == b"\x89PNG\r\n\x1a\n", sample
        width, height = struct.unpack(">II", png[16:24])
        assert width >= 500 and height >= 300, (width, height)
        pdf = run.path(f"results/cnvkit_plots/{sample}.diagram.pdf").read_bytes()
        assert pdf.startswith(b"%PDF") and b"/Type /Page" in pdf, sample
