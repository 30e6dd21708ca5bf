"""Readers for the phasing and imputation workflow's outputs, shared by the modules' test/check.py: VCF records
and INFO fields (plain Python on the bgzipped VCF) and the MultiQC custom-content tables."""

from __future__ import annotations

import gzip
from pathlib import Path

from biopipelines.library.testdata import synthetic_imputation as si


def records(path: Path) -> list[dict]:
    """Each VCF record: chrom, pos, ref, alt, info (dict; a flag maps to True) and the raw sample fields."""
    out = []
    with gzip.open(path, "rt") as handle:
        for line in handle:
            if line.startswith("#"):
                continue
            fields = line.rstrip("\n").split("\t")
            info = {}
            for item in fields[7].split(";"):
                key, _, value = item.partition("=")
                info[key] = value if value else True
            out.append({"chrom": fields[0], "pos": int(fields[1]), "ref": fields[3], "alt": fields[4], "info": info,
                        "format": fields[8], "samples": fields[9:]})
    return out


def sites(path: Path) -> set[str]:
    return {f"{r['chrom']}:{r['pos']}" for r in records(path)}


def samples(path: Path) -> list[str]:
    with gzip.open(path, "rt") as handle:
        for line in handle:
            if line.startswith("#CHROM"):
                return line.rstrip("\n").split("\t")[9:]
    return []


def mqc_table(path: Path) -> list[dict[str, str]]:
    """A MultiQC custom-content table: '#' comment lines first, then a tab-separated header and rows."""
    lines = [line for line in path.read_text().splitlines() if line and not line.startswith("#")]
    header = lines[0].split("\t")
    return [dict(zip(header, line.split("\t"))) for line in lines[1:]]


def assert_phases_the_prepared_sites(phased: Path, prepared: Path) -> None:
    """A phasing step's output: every prepared site of every sample, GT with '|', the genotypes unchanged, and
    haplotypes that follow the planted true ones (switch error below 10% over consecutive heterozygous sites)."""
    assert sites(phased) == sites(prepared)
    assert all("|" in value.split(":")[0] for r in records(phased) for value in r["samples"])

    def dosages(path: Path) -> dict:
        return {c: {p: {s: sum(g) for s, g in v.items()} for p, v in d.items()}
                for c, d in si.read_genotypes(path).items()}

    assert dosages(prepared) == dosages(phased)
    rate, pairs = si.switch_error(phased)
    assert pairs > 1000 and rate < 0.10, (rate, pairs)
