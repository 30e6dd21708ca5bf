"""Planted-truth checks on a .test/ run's results: (recovered?, one line saying what was found where). They look for the result by its file name under results/, so they hold for
every alternative that writes the recipe's standard output (DESeq2 or edgeR, bcftools or GATK or FreeBayes)."""

from __future__ import annotations

import csv
import gzip
from collections.abc import Iterator
from pathlib import Path

from biopipelines.library.testdata import synthetic as syn


def planted_de_gene(test: Path) -> tuple[bool, str]:
    tables = sorted((test / "results").glob("*/de_results.tsv"))
    if not tables:
        return False, "no results/*/de_results.tsv was written"
    with tables[0].open(newline="") as handle:
        rows = csv.reader(handle, delimiter="\t")
        next(rows, None)  # the header
        top = next(rows, None)  # tables are sorted by adjusted p-value
    where = tables[0].relative_to(test)
    if not top:
        return False, f"{where} has no gene rows"
    if top[0] != syn.GENE_UP:
        return False, f"the most significant gene in {where} is {top[0]}, not the planted {syn.GENE_UP}"
    return True, f"the planted {syn.GENE_UP} is the most significant gene in {where}"


def planted_snv(test: Path) -> tuple[bool, str]:
    contig, position = syn.SNV
    change = f"{syn.snv_ref()}>{syn.snv_alt()} at {contig}:{position}"
    for vcf, fields in _vcf_records(test):
        if fields[0] == contig and fields[1] == str(position) and syn.snv_alt() in fields[4].split(","):
            return True, f"the planted {change} is in {vcf.relative_to(test)}"
    return False, f"no VCF under results/ has the planted {change}"


def planted_peak(test: Path) -> tuple[bool, str]:
    """Each sample's strongest peak (highest -log10 q, narrowPeak column 9) covers the planted site within 300 bp."""
    contig, summit = syn.PEAK
    beds = sorted((test / "results").rglob("*.peaks.bed"))
    if not beds:
        return False, "no results/**/*.peaks.bed was written"
    for bed in beds:
        peaks = [line.split("\t") for line in bed.read_text().splitlines() if line.count("\t") >= 8]
        if not peaks:
            return False, f"{bed.relative_to(test)} has no peaks"
        best = max(peaks, key=lambda p: float(p[8]))
        if not (best[0] == contig and int(best[1]) - 300 < summit < int(best[2]) + 300):
            return False, (f"the strongest peak in {bed.relative_to(test)} is {best[0]}:{best[1]}-{best[2]}, not the "
                           f"planted site {contig}:{summit}")
    return True, f"the strongest peak of each of {len(beds)} peak files covers the planted site {contig}:{summit}"


def planted_deletion(test: Path) -> tuple[bool, str]:
    """A DEL call within 50 bp of both ends of the planted 1 kb deletion."""
    contig, start, end = syn.DELETION
    for vcf, fields in _vcf_records(test):
        info = dict(item.split("=", 1) for item in fields[7].split(";") if "=" in item)
        if (fields[0] == contig and info.get("SVTYPE") == "DEL" and info.get("END", "").isdigit()
                and abs(int(fields[1]) - start) < 50 and abs(int(info["END"]) - end) < 50):
            return True, f"the planted deletion {contig}:{start}-{end} is called in {vcf.relative_to(test)}"
    return False, f"no VCF under results/ calls the planted deletion {contig}:{start}-{end}"


def _vcf_records(test: Path) -> Iterator[tuple[Path, list[str]]]:
    """(file, fields) of every record of every results/**/*.vcf.gz, with at least the 8 fixed columns."""
    for vcf in sorted((test / "results").rglob("*.vcf.gz")):
        with gzip.open(vcf, "rt") as handle:
            for line in handle:
                fields = line.rstrip("\n").split("\t")
                if not line.startswith("#") and len(fields) >= 8:
                    yield vcf, fields
