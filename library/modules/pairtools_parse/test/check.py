"""pairtools parse writes one line per simulated pair, with the planted pair types, trans share and contact.

Run on the `hic` workflow (tests/modules/workflows/hic_somatic.py)."""

from __future__ import annotations

from collections import Counter

from biopipelines.library.testdata import synthetic as syn
from biopipelines.library.testdata import synthetic_hic_somatic as hs
from tests.modules.harness import Run
from tests.modules.outputs_hic_somatic import pairs_rows

WORKFLOW = "hic"


def check(run: Run) -> None:
    header, rows = pairs_rows(run.path("results/pairtools_parse/hic_1.pairs.gz"))
    assert header[0].startswith("## pairs format v1.0")
    simulated = hs.BACKGROUND_PAIRS + hs.CONTACT_PAIRS + hs.DUPLICATES + hs.UNMAPPED
    assert len(rows) == simulated  # one line per read pair
    types = Counter(r[7] for r in rows)
    assert types["NN"] >= hs.UNMAPPED * 0.95  # random sequence maps nowhere
    assert types["UU"] > 0.9 * (simulated - hs.UNMAPPED)
    uu = [r for r in rows if r[7] == "UU"]
    trans = sum(r[1] != r[3] for r in uu)
    assert 0.02 < trans / len(uu) < 0.1  # 5% simulated between chromosomes
    # flipped into upper-triangle order along the .fai's chromosome order
    order = {name: i for i, name in enumerate(syn.CONTIGS)}
    assert all((order[r[1]], int(r[2])) <= (order[r[3]], int(r[4])) for r in uu)
    # the planted contact: chr1:5-6 kb paired with chr1:25-26 kb
    (c1, s1, e1), (c2, s2, e2) = hs.CONTACT
    planted = sum(r[1] == c1 and s1 <= int(r[2]) < e1 and r[3] == c2 and s2 <= int(r[4]) < e2 for r in uu)
    assert planted >= hs.CONTACT_PAIRS
