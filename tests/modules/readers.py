"""Readers of tool outputs that module checks of several workflow families share: samtools views, VCF records,
tab-separated tables and FASTQ counts. A family's own readers and planted-truth comparisons live in outputs_<family>.py.
"""

from __future__ import annotations

import gzip
import json
import re
import subprocess


def samtools(*args: str) -> str:
    return subprocess.run(["samtools", *args], capture_output=True, text=True, check=True).stdout


def mapped_fraction(bam) -> float:
    stats = samtools("flagstat", "-O", "json", str(bam))
    data = json.loads(stats)["QC-passed reads"]
    return data["primary mapped"] / max(1, data["primary"])


def idxstats(bam) -> dict[str, int]:
    return {line.split("\t")[0]: int(line.split("\t")[2]) for line in samtools("idxstats", str(bam)).splitlines()
            if not line.startswith("*")}


def vcf_records(path) -> list[list[str]]:
    opener = gzip.open if str(path).endswith(".gz") else open
    with opener(path, "rt") as handle:
        return [line.rstrip("\n").split("\t") for line in handle if not line.startswith("#")]


def table(path) -> list[dict[str, str]]:
    """A tab-separated table whose comment lines (#) are dropped before the header (featureCounts, DESeq2...)."""
    lines = [line for line in path.read_text().splitlines() if not line.startswith("#")]
    header = lines[0].split("\t")
    return [dict(zip(header, line.split("\t"), strict=False)) for line in lines[1:]]


def tsv(path) -> list[dict[str, str]]:
    """A tab-separated table read as is: a first line starting with # (such as '#OTU ID') is its header."""
    lines = path.read_text().splitlines()
    header = lines[0].split("\t")
    return [dict(zip(header, line.split("\t"), strict=False)) for line in lines[1:]]


def fastq_count(path) -> int:
    with gzip.open(path, "rt") as handle:
        return sum(1 for _ in handle) // 4


def overall_alignment_rate(log) -> float:
    """The percentage in a Bowtie2 or HISAT2 summary's "overall alignment rate" line."""
    return float(re.search(r"([\d.]+)% overall alignment rate", log.read_text()).group(1))


def strongest_peak(bed) -> list[str]:
    """The narrowPeak record with the highest -log10 q-value (column 9); fails when no peak was called."""
    peaks = [line.split("\t") for line in bed.read_text().splitlines()]
    assert peaks, "no peak called"
    return max(peaks, key=lambda p: float(p[8]))


def fasta(path) -> dict[str, str]:
    """FASTA records: name (first word of the header) -> sequence."""
    seqs: dict[str, list[str]] = {}
    name = ""
    for line in path.read_text().splitlines():
        if line.startswith(">"):
            name = line[1:].split()[0]
            seqs[name] = []
        elif line.strip():
            seqs[name].append(line.strip())
    return {n: "".join(parts) for n, parts in seqs.items()}
