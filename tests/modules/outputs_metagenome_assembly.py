"""Readers and planted-truth comparisons that several module checks of the metagenome_assembly workflows
(tests/modules/workflows/metagenome_assembly.py) share; a helper only one check uses stays in that check.py."""

from __future__ import annotations

import gzip
from pathlib import Path

from biopipelines.library.testdata import synthetic_metagenome_assembly as meta

K = 31


def read_fasta(path: Path) -> dict[str, str]:
    """Header line (without '>') -> sequence."""
    seqs: dict[str, list[str]] = {}
    name = None
    opener = gzip.open if str(path).endswith(".gz") else open
    with opener(path, "rt") as handle:
        for line in handle:
            line = line.strip()
            if line.startswith(">"):
                name = line[1:]
                seqs[name] = []
            elif name is not None:
                seqs[name].append(line)
    return {n: "".join(s) for n, s in seqs.items()}


def kmers(seq: str) -> set[str]:
    """Canonical k-mers (a k-mer and its reverse complement count as one)."""
    found = set()
    rc = meta.syn.revcomp(seq)
    n = len(seq)
    for i in range(n - K + 1):
        forward, reverse = seq[i:i + K], rc[n - K - i:n - i]
        found.add(min(forward, reverse))
    return found


def planted_kmers() -> dict[str, set[str]]:
    return {name: kmers(seq) for name, seq in meta.genomes().items()}


def origin(contig: str, planted: dict[str, set[str]]) -> str:
    """The planted sequence most of the contig's k-mers come from."""
    own = kmers(contig)
    return max(planted, key=lambda name: len(own & planted[name]))


def check_assembly(contigs: dict[str, str]) -> None:
    """Each planted genome is at least 95% recovered, and the contigs hold (almost) nothing else."""
    planted = planted_kmers()
    assembled = set().union(*(kmers(s) for s in contigs.values()))
    for name, truth in planted.items():
        assert len(truth & assembled) > 0.95 * len(truth), f"{name} is not assembled"
    everything = set().union(*planted.values())
    assert len(assembled & everything) > 0.97 * len(assembled)  # no chimeras or junk
