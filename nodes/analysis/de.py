"""Differential expression (rnaseq_de, small_rnaseq, riboseq): volcano with the top genes labelled, MA, PCA and a
sample-distance heatmap from the normalized counts, and a top-genes table. Reads DESeq2's or edgeR's columns."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np

from biopipelines.nodes.analysis.figures import new_figure, save
from biopipelines.nodes.analysis.schemas import Analysis, Figure, ResultFiles, Table
from biopipelines.nodes.analysis.tables import number, read_tsv

LFC = ("log2FoldChange", "logFC", "log2FC")
PADJ = ("padj", "FDR", "adj.P.Val", "qvalue")
PVALUE = ("pvalue", "PValue", "P.Value")
MEAN = ("baseMean", "logCPM", "AveExpr")
TOP = 10
ALPHA = 0.05


@dataclass
class DeData:
    genes: list[str]
    lfc: np.ndarray
    padj: np.ndarray
    mean: np.ndarray
    mean_label: str
    top: list[int]
    samples: list[str] = field(default_factory=list)
    log_counts: np.ndarray | None = None  # genes x samples, log scale


def _column(row: dict, names: tuple[str, ...]) -> str | None:
    return next((n for n in names if n in row), None)


def load(files: ResultFiles) -> DeData:
    rows = read_tsv(files.first("de_results"))
    if not rows:
        raise ValueError("the DE table is empty")
    first = rows[0]
    # symbols label the plots where the table has them (DESeq2/edgeR write gene_name from the GTF)
    gene_col = next((c for c in ("gene_name", "gene_id") if c in first), next(iter(first)))
    lfc_col, mean_col = _column(first, LFC), _column(first, MEAN)
    p_col = _column(first, PADJ) or _column(first, PVALUE)
    if lfc_col is None or p_col is None:
        raise ValueError(f"the DE table has no fold-change or p-value column ({', '.join(first)})")
    genes = [r[gene_col] for r in rows]
    lfc = np.array([number(r[lfc_col]) for r in rows])
    padj = np.array([number(r[p_col]) for r in rows])
    mean = np.array([number(r[mean_col]) if mean_col else float("nan") for r in rows])
    ranked = sorted((i for i in range(len(genes)) if not math.isnan(padj[i])), key=lambda i: (padj[i], -abs(lfc[i])))
    data = DeData(genes, lfc, padj, mean, mean_col or "mean", [i for i in ranked[:TOP] if padj[i] < ALPHA])
    _add_counts(data, files)
    return data


def _add_counts(data: DeData, files: ResultFiles) -> None:
    path = files.first("normalized_counts")
    if path is None:
        return
    rows = read_tsv(path)
    if not rows:
        return
    samples = [c for c in rows[0] if c not in ("gene_id", "gene_name", "gene", "")]
    matrix = np.array([[number(r[s], 0.0) for s in samples] for r in rows])
    already_log = "log" in path.name or (matrix < 0).any()  # edgeR writes log-CPM
    data.samples, data.log_counts = samples, matrix if already_log else np.log2(matrix + 1.0)


def measure(data: DeData, files: ResultFiles) -> Analysis:
    significant = int(np.nansum(data.padj < ALPHA))
    up = int(np.nansum((data.padj < ALPHA) & (data.lfc > 0)))
    analysis = Analysis(kind="de", analysis_type=files.analysis_type, title=files.title,
                        metrics={"genes_tested": len(data.genes), "significant": significant, "up": up,
                                 "down": significant - up, "alpha": ALPHA})
    analysis.findings.append(f"{len(data.genes)} genes were tested; {significant} {'has' if significant == 1 else 'have'} an adjusted p-value below "
                             f"{ALPHA} ({up} up, {significant - up} down).")
    if data.top:
        best = data.top[0]
        analysis.metrics.update(top_gene=data.genes[best], top_log2fc=round(float(data.lfc[best]), 3),
                                top_padj=float(f"{data.padj[best]:.3g}"))
        analysis.findings.append(f"The strongest change is {data.genes[best]} (log2 fold change "
                                 f"{data.lfc[best]:.2f}, adjusted p {data.padj[best]:.3g}); the top genes are "
                                 f"{', '.join(data.genes[i] for i in data.top)}.")
    analysis.tables.append(Table(name="top genes", columns=["gene", "log2FC", "padj", data.mean_label], rows=[
        [data.genes[i], f"{data.lfc[i]:.3f}", f"{data.padj[i]:.3g}", f"{data.mean[i]:.3g}"] for i in data.top]))
    if data.log_counts is None:
        analysis.notes.append("No normalized counts were found: PCA and the sample-distance heatmap are left out.")
    return analysis


def draw(data: DeData, files: ResultFiles, folder: Path) -> list[Figure]:
    figures = [_volcano(data, folder), _ma(data, folder)]
    if data.log_counts is not None and len(data.samples) >= 2:
        figures += [_pca(data, files, folder), _distances(data, folder)]
    return figures


def _volcano(data: DeData, folder: Path) -> Figure:
    fig = new_figure()
    ax = fig.add_subplot()
    y = -np.log10(np.clip(np.nan_to_num(data.padj, nan=1.0), 1e-300, 1.0))
    hit = np.nan_to_num(data.padj, nan=1.0) < ALPHA
    ax.scatter(data.lfc[~hit], y[~hit], s=8, c="grey", alpha=0.6, label="not significant")
    ax.scatter(data.lfc[hit], y[hit], s=10, c="firebrick", label=f"padj < {ALPHA}")
    labels = [data.genes[i] for i in data.top]
    for i in data.top:
        ax.annotate(data.genes[i], (data.lfc[i], y[i]), fontsize=7, xytext=(3, 3), textcoords="offset points")
    ax.set(xlabel="log2 fold change", ylabel="-log10 adjusted p", title="Volcano plot")
    ax.legend(fontsize=7)
    return save(fig, folder, "volcano", "Volcano plot (top genes labelled)", labels)


def _ma(data: DeData, folder: Path) -> Figure:
    fig = new_figure()
    ax = fig.add_subplot()
    x = np.log10(data.mean + 1.0) if data.mean_label == "baseMean" else data.mean
    hit = np.nan_to_num(data.padj, nan=1.0) < ALPHA
    ax.scatter(x[~hit], data.lfc[~hit], s=8, c="grey", alpha=0.6)
    ax.scatter(x[hit], data.lfc[hit], s=10, c="firebrick")
    ax.axhline(0, color="black", lw=0.8)
    ax.set(xlabel=f"log10 {data.mean_label}" if data.mean_label == "baseMean" else data.mean_label,
           ylabel="log2 fold change", title="MA plot")
    return save(fig, folder, "ma", "MA plot")


def pca_coordinates(matrix: np.ndarray, top: int = 500) -> tuple[np.ndarray, np.ndarray]:
    """Samples' first two principal components over the most variable rows, and the variance each explains."""
    keep = np.argsort(matrix.var(axis=1))[::-1][:top]
    centred = matrix[keep].T - matrix[keep].T.mean(axis=0)
    u, s, _ = np.linalg.svd(centred, full_matrices=False)
    explained = s**2 / max(float((s**2).sum()), 1e-12)
    coords = u[:, :2] * s[:2] if s.size >= 2 else np.column_stack([u[:, 0] * s[0], np.zeros(len(u))])
    return coords, explained[:2]


def _pca(data: DeData, files: ResultFiles, folder: Path) -> Figure:
    coords, explained = pca_coordinates(data.log_counts)
    fig = new_figure(5.5, 4.5)
    ax = fig.add_subplot()
    groups = sorted({files.conditions.get(s, "") for s in data.samples})
    for group in groups:
        idx = [i for i, s in enumerate(data.samples) if files.conditions.get(s, "") == group]
        ax.scatter(coords[idx, 0], coords[idx, 1], s=40, label=group or "samples")
    for i, sample in enumerate(data.samples):
        ax.annotate(sample, coords[i], fontsize=7, xytext=(3, 3), textcoords="offset points")
    ax.set(xlabel=f"PC1 ({explained[0]:.0%})", ylabel=f"PC2 ({explained[-1]:.0%})", title="PCA of samples")
    ax.legend(fontsize=7)
    return save(fig, folder, "pca", "PCA of the normalized counts", list(data.samples))


def _distances(data: DeData, folder: Path) -> Figure:
    from scipy.spatial.distance import pdist, squareform

    keep = np.argsort(data.log_counts.var(axis=1))[::-1][:2000]  # bounded memory on a genome-wide table
    dist = squareform(pdist(data.log_counts[keep].T))
    fig = new_figure(5.5, 4.8)
    ax = fig.add_subplot()
    image = ax.imshow(dist, cmap="viridis_r")
    ax.set_xticks(range(len(data.samples)), data.samples, rotation=90, fontsize=7)
    ax.set_yticks(range(len(data.samples)), data.samples, fontsize=7)
    fig.colorbar(image, ax=ax, label="Euclidean distance (log counts, top 2000 genes)")
    ax.set_title("Sample distances")
    return save(fig, folder, "sample_distances", "Sample-distance heatmap", list(data.samples))


def build(files: ResultFiles) -> tuple[Analysis, Callable[[Path], list[Figure]]]:
    data = load(files)
    return measure(data, files), lambda folder: draw(data, files, folder)
