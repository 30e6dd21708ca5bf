"""The splits (bipartitions) of a Newick tree: enough to tell whether a tree recovered a planted clade, for the
planted-truth checks of `validate --execute` and the phylogeny module checks."""

from __future__ import annotations

import re


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
