"""pairtools sort keeps every pair, in contiguous chromosome blocks sorted by position.

Run on the `hic` workflow (tests/modules/workflows/hic_somatic.py)."""

from __future__ import annotations

from biopipelines.library.testdata import synthetic_hic_somatic as hs
from tests.modules.harness import Run
from tests.modules.outputs_hic_somatic import pairs_rows

WORKFLOW = "hic"


def check(run: Run) -> None:
    header, rows = pairs_rows(run.path("results/pairtools_sort/hic_1.sorted.pairs.gz"))
    assert any(line.startswith("#sorted: chr1-chr2-pos1-pos2") for line in header)
    assert len(rows) == hs.BACKGROUND_PAIRS + hs.CONTACT_PAIRS + hs.DUPLICATES + hs.UNMAPPED
    seen, last = set(), None
    for r in rows:
        block = (r[1], r[3])
        if block != last:
            assert block not in seen, f"chromosome pair {block} is split"  # blocks are contiguous
            seen.add(block)
            previous = (-1, -1)
            last = block
        position = (int(r[2]), int(r[4]))
        assert position >= previous, (block, previous, position)
        previous = position
