"""kallisto bus pseudoaligns over 95% of the synthetic 10x reads.

Run on the `sc_kallisto` workflow (tests/modules/workflows/sc_fusion.py)."""

from __future__ import annotations

import re

from tests.modules.harness import Run

WORKFLOW = "sc_kallisto"


def check(run: Run) -> None:
    assert run.path("results/kallisto_bus/pbmc_1/output.bus").stat().st_size > 0
    log = run.path("results/kallisto_bus/pbmc_1.kallisto.log").read_text()
    found = re.search(r"processed ([\d,]+) reads, ([\d,]+) reads pseudoaligned", log)
    assert found, log[-1000:]
    total, aligned = (int(x.replace(",", "")) for x in found.groups())
    assert total > 10_000 and aligned > 0.95 * total
