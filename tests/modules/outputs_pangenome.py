"""Readers of pan-genome and phylogeny outputs shared by several module checks: Roary-format presence/absence
matrices and summaries, and the splits (bipartitions) of a Newick tree."""

from __future__ import annotations

import csv
import re
from pathlib import Path

from tests.modules import synthetic_pangenome as pan


def presence_absence(path: Path, genomes: list[str]) -> dict[str, set[str]]:
    """Roary-format gene_presence_absence.csv: annotation (product) -> the genomes that carry the gene."""
    with path.open(newline="") as handle:
        return {row["Annotation"]: {g for g in genomes if row[g].strip()} for row in csv.DictReader(handle)}


def summary_counts(path: Path) -> dict[str, int]:
    """summary_statistics.txt: {"Core genes": 6, "Shell genes": 3, "Total genes": 9, ...}."""
    return {line.split("\t")[0]: int(line.split("\t")[-1]) for line in path.read_text().splitlines() if line.strip()}


def tree_splits(newick: str) -> tuple[set[str], list[frozenset[str]]]:
    """The leaves of a Newick tree and the leaf set below each internal node (its clades)."""
    leaves: set[str] = set()
    clades: list[frozenset[str]] = []
    stack: list[set[str]] = []
    previous = ""
    for token in re.findall(r"[(),;]|[^(),;]+", newick.strip()):
        if token == "(":
            stack.append(set())
        elif token == ")":
            below = stack.pop()
            clades.append(frozenset(below))
            if stack:
                stack[-1] |= below
        elif token not in (",", ";") and previous != ")":  # after ")" comes a node label (support), not a leaf
            name = token.split(":")[0].strip()
            leaves.add(name)
            stack[-1].add(name)
        previous = token
    return leaves, clades


def has_split(newick: str, side: set[str]) -> bool:
    """The unrooted tree separates `side` from the other leaves."""
    leaves, clades = tree_splits(newick)
    return any(clade in (frozenset(side), frozenset(leaves - side)) for clade in clades)


def assert_planted_split(newick: str) -> None:
    """Every genome is a leaf, and the tree separates the planted clade {isolate_1, isolate_2}."""
    leaves, _ = tree_splits(newick)
    assert leaves == set(pan.GENOMES)
    assert has_split(newick, {"isolate_1", "isolate_2"}), newick
