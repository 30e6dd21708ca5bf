"""pairtools dedup removes the planted exact duplicates and keeps only valid pairs.

Run on the `hic` workflow (tests/modules/workflows/hic_somatic.py)."""

from __future__ import annotations

from biopipelines.library.testdata import synthetic_hic_somatic as hs
from tests.modules.harness import Run
from tests.modules.outputs_hic_somatic import pairs_rows

WORKFLOW = "hic"


def stats(path) -> dict[str, float]:
    found = {}
    for line in path.read_text().splitlines():
        key, _, value = line.partition("\t")
        try:
            found[key] = float(value)
        except ValueError:
            continue
    return found


def check(run: Run) -> None:
    deduped = stats(run.path("results/pairtools_dedup/hic_1.dedup.stats.txt"))
    assert deduped["total"] == hs.BACKGROUND_PAIRS + hs.CONTACT_PAIRS + hs.DUPLICATES + hs.UNMAPPED
    assert deduped["pair_types/NN"] == deduped["total_unmapped"] >= hs.UNMAPPED * 0.95
    assert hs.DUPLICATES <= deduped["total_dups"] <= hs.DUPLICATES + 30  # a few chance collisions on the diagonal
    _, kept = pairs_rows(run.path("results/pairtools_dedup/hic_1.nodups.pairs.gz"))
    assert kept and {r[7] for r in kept} <= {"UU", "UR", "RU"}  # valid pairs only
    assert len(kept) == deduped["total_nodups"]
    assert len({(r[1], r[2], r[3], r[4], r[5], r[6]) for r in kept}) == len(kept)  # no exact duplicate left
    _, dups = pairs_rows(run.path("results/pairtools_dedup/hic_1.dups.pairs.gz"))
    assert len(dups) == deduped["total_dups"] and {r[7] for r in dups} == {"DD"}
