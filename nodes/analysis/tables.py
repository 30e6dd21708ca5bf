"""Readers for the result files the templates use: tab-separated tables, VCF records and BED intervals. Plain csv
and gzip, so the offline tier needs no pandas."""

from __future__ import annotations

import csv
import gzip
from dataclasses import dataclass
from pathlib import Path
from typing import IO


def _open(path: Path) -> IO[str]:
    if path.suffix == ".gz":
        return gzip.open(path, "rt", encoding="utf-8", errors="replace")
    return path.open(encoding="utf-8", errors="replace")


def read_tsv(path: Path, skip_comments: bool = True) -> list[dict[str, str]]:
    """Rows of a headed tab-separated file; '#' lines before the header are skipped (MetaPhlAn's header is the
    last of them, '#clade_name ...', and is kept as the header)."""
    with _open(path) as handle:
        lines = handle.read().splitlines()
    if skip_comments:
        comments = [i for i, line in enumerate(lines) if line.startswith("#")]
        if comments and comments[-1] + 1 < len(lines) and "\t" in lines[comments[-1]]:
            lines[comments[-1]] = lines[comments[-1]].lstrip("#")
            lines = lines[comments[-1]:]
        else:
            lines = [line for line in lines if not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t"))


def number(value: object, default: float = float("nan")) -> float:
    try:
        return float(str(value))
    except (TypeError, ValueError):
        return default


@dataclass(frozen=True)
class Variant:
    chrom: str
    pos: int
    ref: str
    alt: str
    qual: float
    info: dict[str, str]
    samples: dict[str, str]  # sample -> its genotype field (GT)

    @property
    def kind(self) -> str:
        alts = self.alt.split(",")
        if any(a.startswith("<") for a in alts):
            return "SV"
        if len(self.ref) == 1 and all(len(a) == 1 for a in alts):
            return "SNV"
        if all(len(a) == len(self.ref) for a in alts):
            return "MNV"
        return "indel"


def read_vcf(path: Path) -> list[Variant]:
    variants: list[Variant] = []
    names: list[str] = []
    with _open(path) as handle:
        for line in handle:
            if line.startswith("##"):
                continue
            fields = line.rstrip("\n").split("\t")
            if line.startswith("#"):
                names = fields[9:]
                continue
            if len(fields) < 8:
                continue
            info = dict(item.split("=", 1) if "=" in item else (item, "") for item in fields[7].split(";"))
            keys = fields[8].split(":") if len(fields) > 8 else []
            gts = {n: dict(zip(keys, v.split(":"))).get("GT", ".") for n, v in zip(names, fields[9:])}
            variants.append(Variant(fields[0], int(fields[1]), fields[3].upper(), fields[4].upper(),
                                    number(fields[5], 0.0), info, gts))
    return variants


def read_bed(path: Path) -> list[tuple[str, int, int]]:
    intervals = []
    with _open(path) as handle:
        for line in handle:
            fields = line.split("\t")
            if len(fields) >= 3 and not line.startswith(("#", "track", "browser")):
                intervals.append((fields[0], int(fields[1]), int(fields[2])))
    return intervals
