"""Every zoom level keeps the planted contact above its background after balancing, and the total count.

Run on the `hic` workflow (tests/modules/workflows/hic_somatic.py)."""

from __future__ import annotations

import subprocess

from tests.modules.harness import Run
from tests.modules.outputs_hic_somatic import cooler_pixels, planted_vs_background

WORKFLOW = "hic"


def check(run: Run) -> None:
    mcool = run.path("results/cooler_zoomify/hic_1.mcool")
    listed = subprocess.run(["cooler", "ls", str(mcool)], capture_output=True, text=True, check=True).stdout
    assert {f"/resolutions/{r}" for r in (1000, 2000, 5000)} <= {line.split("::")[-1] for line in listed.split()}
    for resolution in (1000, 2000):
        uri = f"{mcool}::/resolutions/{resolution}"
        planted, background = planted_vs_background(cooler_pixels(uri, balanced=True), resolution)
        assert planted > 5 * background > 0  # still standing out after balancing
    coarse = cooler_pixels(f"{mcool}::/resolutions/5000")
    assert sum(coarse.values()) == sum(cooler_pixels(f"{mcool}::/resolutions/1000").values())
