"""The Salmon index is written with its version and position tables.

Run on the `rnaseq_salmon_deseq2` workflow (tests/modules/workflows/core.py)."""

from __future__ import annotations

import json

from tests.modules.harness import Run

WORKFLOW = "rnaseq_salmon_deseq2"


def check(run: Run) -> None:
    info = json.loads(run.path("resources/salmon_index/versionInfo.json").read_text())
    assert info["indexVersion"] > 0
    assert (run.path("resources/salmon_index") / "pos.bin").stat().st_size > 0
