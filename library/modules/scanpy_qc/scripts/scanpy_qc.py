"""Per-cell QC of the called cells with Scanpy: metrics, filters, an .h5ad and a PDF of QC plots."""

import logging
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import scanpy as sc  # noqa: E402
from matplotlib.backends.backend_pdf import PdfPages  # noqa: E402

logging.basicConfig(filename=snakemake.log[0], level=logging.INFO)  # noqa: F821
sys.stderr = open(snakemake.log[0], "a")  # noqa: F821
params = snakemake.params  # noqa: F821

adata = sc.read_10x_mtx(snakemake.input.matrix, var_names="gene_symbols", make_unique=True)  # noqa: F821
adata.var["mt"] = adata.var_names.str.upper().str.startswith(str(params.mt_prefix).upper())
sc.pp.calculate_qc_metrics(adata, qc_vars=["mt"], percent_top=None, log1p=False, inplace=True)
adata.obs["passed_qc"] = (adata.obs["n_genes_by_counts"] >= params.min_genes) & (
    adata.obs["pct_counts_mt"] <= params.max_pct_mt)
logging.info("%d cells, %d pass QC (min_genes=%s, max_pct_mt=%s); %d mitochondrial genes", adata.n_obs,
             int(adata.obs["passed_qc"].sum()), params.min_genes, params.max_pct_mt, int(adata.var["mt"].sum()))

columns = ["total_counts", "n_genes_by_counts", "pct_counts_mt", "passed_qc"]
adata.obs[columns].to_csv(snakemake.output.metrics, sep="\t", index_label="barcode")  # noqa: F821

with PdfPages(snakemake.output.plots) as pdf:  # noqa: F821
    figure, axes = plt.subplots(1, 3, figsize=(12, 4))
    for axis, column in zip(axes, columns[:3]):
        axis.hist(adata.obs[column], bins=50, color="grey")
        axis.set_title(column)
    pdf.savefig(figure)
    plt.close(figure)
    figure, axis = plt.subplots(figsize=(5, 4))
    axis.scatter(adata.obs["total_counts"], adata.obs["n_genes_by_counts"], c=adata.obs["pct_counts_mt"], s=4)
    axis.set_xlabel("UMIs per cell")
    axis.set_ylabel("genes per cell")
    pdf.savefig(figure)
    plt.close(figure)

adata = adata[adata.obs["passed_qc"]].copy()
sc.pp.filter_genes(adata, min_cells=params.min_cells)
logging.info("kept %d cells x %d genes", adata.n_obs, adata.n_vars)
adata.write_h5ad(snakemake.output.h5ad, compression="gzip")  # noqa: F821
