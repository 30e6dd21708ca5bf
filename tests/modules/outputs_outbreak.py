"""Readers of outbreak-phylogeny outputs shared by module checks and the workflow test: the SNP distance matrix,
the cluster table and FASTA alignments."""

from __future__ import annotations

import csv
from pathlib import Path


def distance_matrix(path: Path) -> dict[frozenset[str], int]:
    """snp-dists format: {frozenset({a, b}): distance} for every pair of different sequences."""
    with path.open(newline="") as handle:
        rows = list(csv.reader(handle, delimiter="\t"))
    names = rows[0][1:]
    return {frozenset((row[0], b)): int(value) for row in rows[1:] for b, value in zip(names, row[1:])
            if row[0] != b}


def clusters(path: Path) -> list[dict[str, str]]:
    with path.open(newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))
