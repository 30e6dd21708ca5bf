"""Readers of pan-genome and phylogeny outputs shared by several module checks: Roary-format presence/absence
matrices and summaries, and the planted split of a Newick tree (library/testdata/newick.py reads the splits)."""

from __future__ import annotations

import csv
from pathlib import Path

from biopipelines.library.testdata import synthetic_pangenome as pan
from biopipelines.library.testdata.newick import has_split, tree_splits


def presence_absence(path: Path, genomes: list[str]) -> dict[str, set[str]]:
    """Roary-format gene_presence_absence.csv: annotation (product) -> the genomes that carry the gene."""
    with path.open(newline="") as handle:
        return {row["Annotation"]: {g for g in genomes if row[g].strip()} for row in csv.DictReader(handle)}


def summary_counts(path: Path) -> dict[str, int]:
    """summary_statistics.txt: {"Core genes": 6, "Shell genes": 3, "Total genes": 9, ...}."""
    return {line.split("\t")[0]: int(line.split("\t")[-1]) for line in path.read_text().splitlines() if line.strip()}


def assert_planted_split(newick: str) -> None:
    """Every genome is a leaf, and the tree separates the planted clade {isolate_1, isolate_2}."""
    leaves, _ = tree_splits(newick)
    assert leaves == set(pan.GENOMES)
    assert has_split(newick, {"isolate_1", "isolate_2"}), newick
