"""Taxa (metagenomic profiling, 16S amplicons): relative abundance per sample as stacked bars of the top taxa, from
a combined taxon table, a DADA2 ASV table, or per-sample MetaPhlAn / Bracken profiles."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from biopipelines.nodes.analysis.figures import new_figure, save
from biopipelines.nodes.analysis.schemas import Analysis, Figure, ResultFiles, Table
from biopipelines.nodes.analysis.tables import number, read_tsv

TOP = 10
ID_COLUMNS = {"taxid", "name", "ASV_ID", "OTU_ID", "#OTU ID", "taxonomy", "clade_name"}


@dataclass
class TaxaData:
    shares: dict[str, dict[str, float]]  # sample -> taxon -> % of the sample
    source: str

    def top(self, n: int = TOP) -> list[str]:
        totals: dict[str, float] = {}
        for taxa in self.shares.values():
            for taxon, value in taxa.items():
                totals[taxon] = totals.get(taxon, 0.0) + value
        return sorted(totals, key=lambda t: -totals[t])[:n]


def _percent(values: dict[str, float]) -> dict[str, float]:
    total = sum(values.values())
    return {k: 100 * v / total for k, v in values.items()} if total else values


def _wide(path: Path) -> dict[str, dict[str, float]]:
    rows = read_tsv(path)
    if not rows:
        return {}
    label = "name" if "name" in rows[0] else next(iter(rows[0]))
    samples = [c for c in rows[0] if c not in ID_COLUMNS and c != label]
    return {s: _percent({r[label]: number(r[s], 0.0) for r in rows}) for s in samples}


def _metaphlan(path: Path) -> dict[str, float]:
    rows = read_tsv(path)
    species = {r["clade_name"].split("|")[-1][3:]: number(r.get("relative_abundance"), 0.0)
               for r in rows if r.get("clade_name", "").split("|")[-1].startswith("s__")}
    return _percent(species)


def _bracken(path: Path) -> dict[str, float]:
    return _percent({r["name"]: number(r.get("fraction_total_reads"), 0.0) for r in read_tsv(path) if "name" in r})


def load(files: ResultFiles) -> TaxaData:
    tables = sorted(files.all("taxon_table"), key=lambda p: "relative" not in p.name)
    if tables or files.all("asv_table"):
        path = (tables or files.all("asv_table"))[0]
        return TaxaData(_wide(path), path.name)
    if files.all("metaphlan_profile"):
        paths = files.all("metaphlan_profile")
        return TaxaData({p.name.split(".")[0]: _metaphlan(p) for p in paths}, "MetaPhlAn profiles")
    paths = files.all("bracken_table")
    return TaxaData({p.name.split(".")[0]: _bracken(p) for p in paths}, "Bracken tables")


def measure(data: TaxaData, files: ResultFiles) -> Analysis:
    top = data.top()
    analysis = Analysis(kind="taxa", analysis_type=files.analysis_type, title=files.title,
                        metrics={"samples": len(data.shares), "taxa": len({t for s in data.shares.values()
                                                                             for t in s})})
    analysis.findings.append(f"{analysis.metrics['taxa']} taxa across {len(data.shares)} sample(s) "
                             f"(from {data.source}).")
    for sample, taxa in sorted(data.shares.items()):
        if taxa:
            best = max(taxa, key=taxa.get)
            analysis.findings.append(f"In {sample} the most abundant taxon is {best} ({taxa[best]:.1f}%).")
    analysis.tables.append(Table(name="top taxa (% of sample)", columns=["taxon", *sorted(data.shares)], rows=[
        [t, *(f"{data.shares[s].get(t, 0.0):.2f}" for s in sorted(data.shares))] for t in top]))
    return analysis


def draw(data: TaxaData, folder: Path) -> list[Figure]:
    samples, top = sorted(data.shares), data.top()
    fig = new_figure(max(5.0, 1.0 + 0.6 * len(samples)), 4.8)
    ax = fig.add_subplot()
    bottom = [0.0] * len(samples)
    for taxon in top:
        values = [data.shares[s].get(taxon, 0.0) for s in samples]
        ax.bar(samples, values, bottom=bottom, label=taxon)
        bottom = [b + v for b, v in zip(bottom, values)]
    ax.bar(samples, [max(0.0, 100 - b) for b in bottom], bottom=bottom, color="lightgrey", label="other")
    ax.set(ylabel="% of sample", title=f"Top {len(top)} taxa")
    ax.tick_params(axis="x", rotation=45)
    ax.legend(fontsize=6, bbox_to_anchor=(1.02, 1), loc="upper left")
    return [save(fig, folder, "taxa_stacked", "Relative abundance of the top taxa", top)]


def build(files: ResultFiles) -> tuple[Analysis, Callable[[Path], list[Figure]]]:
    data = load(files)
    return measure(data, files), lambda folder: draw(data, folder)
