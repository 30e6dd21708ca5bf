"""Readers that several module checks of the longread_isoforms workflow (tests/modules/workflows/longread_isoforms.py)
share: transcript models of a GTF as intron chains, and the isoform matrices."""

from __future__ import annotations

import csv
import re
from pathlib import Path

from biopipelines.library.testdata import synthetic_longread_isoforms as iso

ATTRIBUTE = re.compile(r'(\S+) "([^"]*)"')


def gtf_models(path: Path) -> dict[str, dict]:
    """transcript_id -> {"strand", "exons" (sorted 1-based pairs), "attributes" (of the transcript line)}."""
    models: dict[str, dict] = {}
    for line in path.read_text().splitlines():
        fields = line.split("\t")
        if line.startswith("#") or len(fields) < 9 or fields[2] not in ("transcript", "exon"):
            continue
        attributes = dict(ATTRIBUTE.findall(fields[8]))
        model = models.setdefault(attributes["transcript_id"], {"strand": fields[6], "exons": [], "attributes": {}})
        if fields[2] == "exon":
            model["exons"].append((int(fields[3]), int(fields[4])))
        else:
            model["attributes"] = attributes
    for model in models.values():
        model["exons"].sort()
    return models


def introns(exons) -> tuple[tuple[int, int], ...]:
    """1-based inclusive introns between consecutive exons: the intron chain that identifies an isoform."""
    return tuple((end + 1, start - 1) for (_, end), (start, _) in zip(exons, exons[1:]))


def planted_chain(tx: str) -> tuple[tuple[int, int], ...]:
    return introns(iso.TRANSCRIPTS[tx][2])


def with_chain(models: dict[str, dict], tx: str) -> list[str]:
    """IDs of the models whose intron chain is the planted transcript's."""
    return [t for t, m in models.items() if introns(m["exons"]) == planted_chain(tx)]


def matrix(path: Path) -> dict[str, dict[str, str]]:
    with path.open() as handle:
        return {row["transcript_id"]: row for row in csv.DictReader(handle, delimiter="\t")}
