"""Peaks (ChIP-seq, ATAC-seq, CUT&RUN): peak counts per sample, peak widths, and FRiP where a coverage track
(bedtools genomecov's bedGraph) lets it be computed: the share of covered bases that fall inside the peaks."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np

from biopipelines.nodes.analysis.figures import new_figure, save
from biopipelines.nodes.analysis.schemas import Analysis, Figure, ResultFiles, Table
from biopipelines.nodes.analysis.tables import read_bed


@dataclass
class PeakData:
    peaks: dict[str, list[tuple[str, int, int]]]
    frip: dict[str, float] = field(default_factory=dict)


def sample_of(path: Path) -> str:
    return path.name.split(".")[0].removesuffix("_peaks")


def load(files: ResultFiles) -> PeakData:
    data = PeakData({sample_of(p): read_bed(p) for p in files.all("peaks")})
    for track in files.all("bedgraph"):
        sample = sample_of(track)
        if sample in data.peaks:
            data.frip[sample] = frip(data.peaks[sample], read_bed_values(track))
    return data


def read_bed_values(path: Path) -> list[tuple[str, int, int, float]]:
    rows = []
    with path.open(encoding="utf-8", errors="replace") as handle:
        for line in handle:
            fields = line.split()
            if len(fields) >= 4 and not line.startswith(("#", "track")):
                rows.append((fields[0], int(fields[1]), int(fields[2]), float(fields[3])))
    return rows


def frip(peaks: list[tuple[str, int, int]], coverage: list[tuple[str, int, int, float]]) -> float:
    """Covered bases inside peaks / all covered bases (a read-count FRiP needs the BAM; this is its coverage twin)."""
    total = inside = 0.0
    by_chrom: dict[str, list[tuple[int, int]]] = {}
    for chrom, start, end in peaks:
        by_chrom.setdefault(chrom, []).append((start, end))
    for chrom, start, end, value in coverage:
        total += (end - start) * value
        for p_start, p_end in by_chrom.get(chrom, []):
            overlap = min(end, p_end) - max(start, p_start)
            if overlap > 0:
                inside += overlap * value
    return inside / total if total else 0.0


def measure(data: PeakData, files: ResultFiles) -> Analysis:
    counts = {s: len(p) for s, p in data.peaks.items()}
    widths = [e - s for peaks in data.peaks.values() for _, s, e in peaks]
    analysis = Analysis(kind="peaks", analysis_type=files.analysis_type, title=files.title,
                        metrics={"samples": len(counts), "peaks_total": sum(counts.values())})
    listed = ", ".join(f"{s} {n}" for s, n in sorted(counts.items()))
    analysis.findings.append(f"{sum(counts.values())} peaks in {len(counts)} sample(s) ({listed}).")
    if widths:
        analysis.metrics["median_width"] = int(np.median(widths))
        analysis.findings.append(f"The median peak width is {int(np.median(widths))} bp "
                                 f"(range {min(widths)}-{max(widths)} bp).")
    if data.frip:
        analysis.metrics.update({f"frip_{s}": round(v, 4) for s, v in data.frip.items()})
        analysis.findings.append("FRiP (share of coverage in peaks): " + ", ".join(
            f"{s} {v:.1%}" for s, v in sorted(data.frip.items())) + ".")
    else:
        analysis.notes.append("FRiP is not reported: the workflow wrote no coverage track (bedGraph) to count "
                              "signal inside the peaks from.")
    analysis.tables.append(Table(name="peaks per sample", columns=["sample", "peaks", "FRiP"], rows=[
        [s, str(n), f"{data.frip[s]:.3f}" if s in data.frip else "n/a"] for s, n in sorted(counts.items())]))
    return analysis


def draw(data: PeakData, folder: Path) -> list[Figure]:
    fig = new_figure(6, 3.8)
    ax = fig.add_subplot()
    samples = sorted(data.peaks)
    ax.bar(samples, [len(data.peaks[s]) for s in samples], color="steelblue")
    ax.set(ylabel="peaks", title="Peaks per sample")
    ax.tick_params(axis="x", rotation=45)
    figures = [save(fig, folder, "peak_counts", "Peaks per sample", samples)]
    fig = new_figure(6, 3.8)
    ax = fig.add_subplot()
    for sample in samples:
        ax.hist([e - s for _, s, e in data.peaks[sample]] or [0], bins=30, alpha=0.6, label=sample)
    ax.set(xlabel="peak width (bp)", ylabel="peaks", title="Peak widths")
    ax.legend(fontsize=7)
    figures.append(save(fig, folder, "peak_widths", "Peak widths"))
    if data.frip:
        fig = new_figure(6, 3.8)
        ax = fig.add_subplot()
        ax.bar(sorted(data.frip), [data.frip[s] for s in sorted(data.frip)], color="seagreen")
        ax.set(ylabel="FRiP", title="Fraction of signal in peaks", ylim=(0, 1))
        figures.append(save(fig, folder, "frip", "FRiP per sample", sorted(data.frip)))
    return figures


def build(files: ResultFiles) -> tuple[Analysis, Callable[[Path], list[Figure]]]:
    data = load(files)
    return measure(data, files), lambda folder: draw(data, folder)
