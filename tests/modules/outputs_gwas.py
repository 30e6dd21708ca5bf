"""Readers for the GWAS workflow's outputs (PLINK tables, the R report), shared by the modules' test/check.py."""

from __future__ import annotations

import csv
import gzip
from pathlib import Path


def rows(path: Path) -> list[dict[str, str]]:
    """A tab-separated table with a header (a leading '#' on the header is dropped), gzipped or not."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt") as handle:
        lines = [line.rstrip("\n") for line in handle if line.strip()]
    header = lines[0].lstrip("#").split("\t")
    return [dict(zip(header, line.split("\t"))) for line in lines[1:]]


def fam_ids(path: Path) -> set[str]:
    return {line.split()[1] for line in path.read_text().splitlines() if line.strip()}


def bim_ids(path: Path) -> list[str]:
    return [line.split()[1] for line in path.read_text().splitlines() if line.strip()]


def with_prefix(ids: list[str] | set[str], position: str) -> list[str]:
    """IDs (renamed chr:pos:ref:alt) of the variant at `position` ('chr:pos')."""
    return [i for i in ids if i.startswith(position + ":")]


def png_size(path: Path) -> tuple[int, int]:
    """Width and height of a PNG, from its IHDR chunk."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
