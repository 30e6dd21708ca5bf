"""Variants (germline, somatic, viral, long-read): counts per type, Ti/Tv of the SNVs, depth, and the calls
themselves (all of them when few, else the best by QUAL) so the summary names them."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from biopipelines.nodes.analysis.figures import new_figure, save
from biopipelines.nodes.analysis.schemas import Analysis, Figure, ResultFiles, Table
from biopipelines.nodes.analysis.tables import Variant, number, read_vcf

TRANSITIONS = {frozenset("AG"), frozenset("CT")}
NAMED = 10  # calls named in the summary


@dataclass
class VariantData:
    by_file: dict[str, list[Variant]]

    @property
    def calls(self) -> list[Variant]:
        """Each site once, across files (a cohort VCF and per-sample VCFs may repeat it)."""
        seen: dict[tuple, Variant] = {}
        for variants in self.by_file.values():
            for v in variants:
                seen.setdefault((v.chrom, v.pos, v.ref, v.alt), v)
        return sorted(seen.values(), key=lambda v: (v.chrom, v.pos))


def is_transition(v: Variant) -> bool:
    return frozenset((v.ref, v.alt.split(",")[0])) in TRANSITIONS


def depth(v: Variant) -> float:
    return number(v.info.get("DP"), float("nan"))


def load(files: ResultFiles) -> VariantData:
    paths = [p for p in files.all("vcf") if not p.name.endswith((".tbi", ".csi"))]
    return VariantData({_label(p, files.root): read_vcf(p) for p in paths})


def _label(path: Path, root: Path) -> str:
    return str(path.relative_to(root)) if path.is_relative_to(root) else path.name


def name(v: Variant) -> str:
    return f"{v.chrom}:{v.pos} {v.ref}>{v.alt}"


def measure(data: VariantData, files: ResultFiles) -> Analysis:
    calls = data.calls
    types = Counter(v.kind for v in calls)
    snvs = [v for v in calls if v.kind == "SNV"]
    ti = sum(1 for v in snvs if is_transition(v))
    tv = len(snvs) - ti
    depths = [d for d in map(depth, calls) if d == d]
    analysis = Analysis(kind="variants", analysis_type=files.analysis_type, title=files.title,
                        metrics={"variants": len(calls), **{f"n_{k}": n for k, n in sorted(types.items())},
                                 "transitions": ti, "transversions": tv})
    counts = ", ".join(f"{n} {k}" + ("s" if n != 1 else "") for k, n in types.most_common()) or "none"
    analysis.findings.append(f"{len(calls)} variant site(s) in {len(data.by_file)} VCF file(s): {counts}.")
    if tv:
        analysis.metrics["ti_tv"] = round(ti / tv, 3)
        analysis.findings.append(f"Ti/Tv of the SNVs is {ti / tv:.2f} ({ti} transitions, {tv} transversions).")
    elif snvs:
        analysis.findings.append(f"All {ti} SNV(s) are transitions (no transversions: Ti/Tv is undefined).")
    if depths:
        analysis.metrics["median_depth"] = sorted(depths)[len(depths) // 2]
        analysis.findings.append(f"Median depth (INFO/DP) at the calls is {analysis.metrics['median_depth']:g}.")
    named = calls if len(calls) <= NAMED else sorted(calls, key=lambda v: -v.qual)[:NAMED]
    if named:
        which = "The calls are" if len(named) == len(calls) else f"The {len(named)} best-scoring calls are"
        analysis.findings.append(f"{which}: {'; '.join(name(v) for v in named)}.")
    analysis.tables.append(Table(name="calls", columns=["site", "type", "QUAL", "DP", "genotypes"], rows=[
        [name(v), v.kind, f"{v.qual:g}", f"{depth(v):g}", " ".join(f"{s}={g}" for s, g in v.samples.items())]
        for v in named]))
    return analysis


def draw(data: VariantData, folder: Path) -> list[Figure]:
    calls = data.calls
    fig = new_figure(9, 3.8)
    left, middle, right = fig.subplots(1, 3)
    types = Counter(v.kind for v in calls)
    left.bar(list(types) or ["none"], list(types.values()) or [0], color="steelblue")
    left.set(title="Calls per type", ylabel="sites")
    snvs = [v for v in calls if v.kind == "SNV"]
    ti = sum(1 for v in snvs if is_transition(v))
    middle.bar(["transitions", "transversions"], [ti, len(snvs) - ti], color=["seagreen", "darkorange"])
    middle.set(title=f"Ti/Tv = {ti / (len(snvs) - ti):.2f}" if len(snvs) > ti else "Ti/Tv")
    depths = [d for d in map(depth, calls) if d == d]
    right.hist(depths or [0], bins=min(30, max(len(depths), 1)), color="slategrey")
    right.set(title="Depth at calls", xlabel="INFO/DP")
    summary = save(fig, folder, "variant_summary", "Calls per type, Ti/Tv and depth", [name(v) for v in calls[:50]])
    return [summary, _per_file(data, folder)]


def _per_file(data: VariantData, folder: Path) -> Figure:
    fig = new_figure(6, 3.5)
    ax = fig.add_subplot()
    labels = list(data.by_file) or ["none"]
    ax.barh([Path(label).name for label in labels], [len(v) for v in data.by_file.values()] or [0],
            color="steelblue")
    ax.set(xlabel="records", title="Records per VCF")
    return save(fig, folder, "calls_per_file", "Records per VCF file")


def build(files: ResultFiles) -> tuple[Analysis, Callable[[Path], list[Figure]]]:
    data = load(files)
    return measure(data, files), lambda folder: draw(data, folder)
