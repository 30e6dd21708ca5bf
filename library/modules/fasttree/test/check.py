"""FastTree recovers the planted split {isolate_1, isolate_2} | {isolate_3, isolate_4} from Roary's whole
core-gene alignment, with SH-like local support on the internal branch.

Run on the `pangenome_fasttree` workflow (tests/modules/workflows/pangenome.py)."""

from __future__ import annotations

import re

from tests.modules.harness import Run
from tests.modules.outputs_pangenome import assert_planted_split

WORKFLOW = "pangenome_fasttree"


def check(run: Run) -> None:
    newick = run.path("results/fasttree/core_genome.nwk").read_text()
    assert_planted_split(newick)
    supports = [float(s) for s in re.findall(r"\)([\d.]+):", newick)]
    assert supports and max(supports) >= 0.9, newick
    assert "GTR" in run.path("logs/fasttree.log").read_text()  # -gtr, not the Jukes-Cantor default
