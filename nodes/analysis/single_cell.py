"""Single cell: per-cell QC (UMIs, genes detected, % mitochondrial) and an embedding of the cells. UMAP needs the
h5ad's X_umap (h5py is not a dependency), so the offline template draws PCA of log-normalised counts from the
10x matrix instead, and says so."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np

from biopipelines.nodes.analysis.de import pca_coordinates
from biopipelines.nodes.analysis.figures import new_figure, save
from biopipelines.nodes.analysis.schemas import Analysis, Figure, ResultFiles, Table
from biopipelines.nodes.analysis.tables import number, read_tsv


@dataclass
class CellData:
    umis: np.ndarray
    genes: np.ndarray
    pct_mt: np.ndarray | None = None
    passed: np.ndarray | None = None
    embedding: np.ndarray | None = None
    source: str = ""
    notes: list[str] = field(default_factory=list)


def read_mtx(folder: Path):
    """A 10x MTX directory (genes x cells, plain or gzipped) as a sparse cells x genes matrix (CSR)."""
    from scipy.io import mmread

    for path in (folder / "matrix.mtx", folder / "matrix.mtx.gz"):
        if path.is_file():
            return mmread(str(path)).T.tocsr()
    raise FileNotFoundError(f"{folder}/matrix.mtx")


def load(files: ResultFiles) -> CellData:
    matrix = files.first("sc_filtered_counts", "sc_raw_counts")
    counts = read_mtx(matrix) if matrix is not None else None
    metrics = files.first("sc_qc_metrics")
    if metrics is not None:
        rows = read_tsv(metrics)
        data = CellData(np.array([number(r.get("total_counts"), 0.0) for r in rows]),
                        np.array([number(r.get("n_genes_by_counts"), 0.0) for r in rows]),
                        np.array([number(r.get("pct_counts_mt"), 0.0) for r in rows]),
                        np.array([r.get("passed_qc") == "True" for r in rows]), source=metrics.name)
    elif counts is not None:
        data = CellData(np.asarray(counts.sum(axis=1)).ravel(), np.asarray((counts > 0).sum(axis=1)).ravel(),
                        source=matrix.name)
    else:
        raise ValueError("no per-cell metrics or count matrix")
    if counts is not None and counts.shape[0] >= 3:
        data.embedding = _embedding(counts)
        data.notes.append("UMAP coordinates need the h5ad (h5py is not installed): the cells are shown on PCA "
                          "of log-normalised counts instead.")
    return data


def _embedding(counts) -> np.ndarray:
    """PCA of log-normalised counts over the 2000 most variable genes (sparse until then: bounded memory)."""
    totals = np.maximum(np.asarray(counts.sum(axis=1)).ravel(), 1)
    scaled = counts.multiply(1e4 / totals[:, None]).tocsr()
    scaled.data = np.log1p(scaled.data)
    mean = np.asarray(scaled.mean(axis=0)).ravel()
    variance = np.asarray(scaled.multiply(scaled).mean(axis=0)).ravel() - mean**2
    keep = np.argsort(variance)[::-1][:2000]
    coords, _ = pca_coordinates(scaled[:, keep].toarray().T, top=2000)
    return coords


def measure(data: CellData, files: ResultFiles) -> Analysis:
    analysis = Analysis(kind="single_cell", analysis_type=files.analysis_type, title=files.title,
                        metrics={"cells": int(data.umis.size), "median_umis": float(np.median(data.umis)),
                                 "median_genes": float(np.median(data.genes))}, notes=list(data.notes))
    analysis.findings.append(f"{data.umis.size} cells (from {data.source}); median {np.median(data.umis):g} UMIs "
                             f"and {np.median(data.genes):g} genes per cell.")
    if data.passed is not None:
        analysis.metrics["passed_qc"] = int(data.passed.sum())
        analysis.findings.append(f"{int(data.passed.sum())} of {data.passed.size} cells pass the QC thresholds.")
    if data.pct_mt is not None:
        analysis.metrics["median_pct_mt"] = round(float(np.median(data.pct_mt)), 2)
    analysis.tables.append(Table(name="QC", columns=["metric", "value"],
                                 rows=[[k, f"{v:g}" if not isinstance(v, str) else v]
                                       for k, v in analysis.metrics.items()]))
    return analysis


def draw(data: CellData, folder: Path) -> list[Figure]:
    fig = new_figure(9, 3.5)
    left, middle, right = fig.subplots(1, 3)
    left.hist(data.umis, bins=40, color="slategrey")
    left.set(title="UMIs per cell", xlabel="UMIs")
    middle.hist(data.genes, bins=40, color="steelblue")
    middle.set(title="Genes per cell", xlabel="genes")
    right.scatter(data.umis, data.genes, s=5, c=data.pct_mt if data.pct_mt is not None else "black")
    right.set(title="UMIs vs genes", xlabel="UMIs", ylabel="genes")
    figures = [save(fig, folder, "cell_qc", "Per-cell QC")]
    if data.embedding is not None:
        fig = new_figure(5, 4.5)
        ax = fig.add_subplot()
        ax.scatter(data.embedding[:, 0], data.embedding[:, 1], s=6, c=np.log1p(data.umis[:len(data.embedding)])
                   if data.umis.size == len(data.embedding) else "steelblue")
        ax.set(xlabel="PC1", ylabel="PC2", title="Cells (PCA; no UMAP available)")
        figures.append(save(fig, folder, "cells_pca", "Cells on PCA of log-normalised counts"))
    return figures


def build(files: ResultFiles) -> tuple[Analysis, Callable[[Path], list[Figure]]]:
    data = load(files)
    return measure(data, files), lambda folder: draw(data, folder)
