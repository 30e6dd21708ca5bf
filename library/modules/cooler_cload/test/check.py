"""The cooler matrix holds the planted contact far above its background, with distance decay.

Run on the `hic` workflow (tests/modules/workflows/hic_somatic.py)."""

from __future__ import annotations

from biopipelines.library.testdata import synthetic_hic_somatic as hs
from tests.modules.harness import Run
from tests.modules.outputs_hic_somatic import cooler_pixels, pairs_rows, planted_vs_background

WORKFLOW = "hic"


def check(run: Run) -> None:
    pixels = cooler_pixels(str(run.path("results/cooler_cload/hic_1.base.cool")))
    planted, background = planted_vs_background(pixels, hs.BIN)
    assert planted >= 0.8 * hs.CONTACT_PAIRS and planted > 10 * max(background, 1)
    # distance decay: pixels next to the diagonal hold more contacts than those 10 bins away
    near = sum(v for (a, x, b, y), v in pixels.items() if a == b and y - x == hs.BIN)
    far = sum(v for (a, x, b, y), v in pixels.items() if a == b and y - x == 10 * hs.BIN)
    assert near > 5 * far > 0
    # every valid pair is counted once
    _, kept = pairs_rows(run.path("results/pairtools_dedup/hic_1.nodups.pairs.gz"))
    assert sum(pixels.values()) == len(kept)
