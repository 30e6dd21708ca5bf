"""snpEff download fetches the build's database into the workflow's SnpEff data directory.

Run on the `germline_bcftools` workflow (tests/modules/workflows/core.py), whose config points the download at a
local repository (file://) holding a database built from the synthetic genome; the planted SNV's effect, annotated
from the downloaded copy, is snpeff_annotate's check."""

from __future__ import annotations

from tests.modules.harness import Run

WORKFLOW = "germline_bcftools"


def check(run: Run) -> None:
    database = run.config["snpeff"]["database"]
    folder = run.path("resources/snpeff_download") / database
    assert (folder / "snpEffectPredictor.bin").stat().st_size > 0
    log = run.path("logs/snpeff_download.log").read_text()
    assert run.config["snpeff_download"]["repository"].removeprefix("file://") in log
    assert "Unzip: OK" in log
