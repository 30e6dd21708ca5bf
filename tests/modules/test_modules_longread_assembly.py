"""End-to-end check of the long-read variant workflow (tests/modules/workflows/longread_assembly.py): its MultiQC
report carries the long-read QC. Each module's own output check (minimap2, Sniffles2, cuteSV, SPAdes, Unicycler,
Prokka, Racon...) lives beside the module: library/modules/<id>/test/check.py.
"""

from __future__ import annotations


def test_multiqc_reports_the_long_read_qc(runs):
    """The long-read workflow's MultiQC report includes NanoStat and the alignment QC of the sample."""
    html = runs("longread_sniffles").path("results/multiqc/multiqc_report.html").read_text(errors="replace")
    assert "sample_1" in html and "nanostat" in html.lower()
