"""metaSPAdes assembles every planted genome into a long scaffold.

Run on the `metagenome_metaspades` workflow (tests/modules/workflows/metagenome_assembly.py)."""

from __future__ import annotations

from biopipelines.library.testdata import synthetic_metagenome_assembly as meta
from tests.modules.harness import Run
from tests.modules.outputs_metagenome_assembly import check_assembly, origin, planted_kmers, read_fasta

WORKFLOW = "metagenome_metaspades"


def check(run: Run) -> None:
    scaffolds = read_fasta(run.path("results/metaspades/scaffolds.fa"))
    assert all(header.startswith("NODE_") for header in scaffolds)
    check_assembly(scaffolds)
    planted = planted_kmers()
    # the reads of both samples were pooled: each genome's scaffold carries the summed coverage of both samples
    long = {origin(s, planted): s for s in scaffolds.values() if len(s) > 10_000}
    assert sorted(long) == sorted(meta.GC)
