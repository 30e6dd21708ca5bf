"""The contig filter keeps the planted genomes' long contigs and drops the short element.

Run on the `metagenome_megahit` workflow (tests/modules/workflows/metagenome_assembly.py)."""

from __future__ import annotations

from biopipelines.library.testdata import synthetic_metagenome_assembly as meta
from tests.modules.harness import Run
from tests.modules.outputs_metagenome_assembly import check_assembly, origin, planted_kmers, read_fasta

WORKFLOW = "metagenome_megahit"


def check(run: Run) -> None:
    raw = read_fasta(run.path("results/megahit/contigs.fa"))
    kept = read_fasta(run.path("results/contig_filter/contigs.fa"))
    assert all(len(s) >= 1000 for s in kept.values())
    assert sorted(kept) == sorted(h.split()[0] for h, s in raw.items() if len(s) >= 1000)  # IDs only
    planted = planted_kmers()
    assert sorted(origin(s, planted) for s in kept.values() if len(s) > 10_000) == sorted(meta.GC)
    assert meta.ELEMENT not in {origin(s, planted) for s in kept.values()}
    check_assembly(kept | {"element": meta.genomes()[meta.ELEMENT]})
    rows = [line.split("\t") for line in run.path("results/contig_filter/contigs.stats.tsv").read_text()
            .splitlines()]
    counts = [int(r[rows[0].index("num_seqs")].replace(",", "")) for r in rows[1:]]  # before, after filtering
    assert counts == [len(raw), len(kept)]
