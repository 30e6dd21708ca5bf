"""Doublets, normalisation, HVGs, PCA, neighbours, Leiden, UMAP and marker genes of QC-filtered cells (Scanpy)."""

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
output = snakemake.output  # noqa: F821

adata = sc.read_h5ad(snakemake.input.h5ad)  # noqa: F821
adata.layers["counts"] = adata.X.copy()

# doublets first, on raw counts: two cells in one droplet look like a spurious intermediate cluster
if params.doublet_threshold > 0:
    sc.pp.scrublet(adata, threshold=params.doublet_threshold, random_state=0)
    adata.obs[["doublet_score", "predicted_doublet"]].to_csv(output.doublets, sep="\t", index_label="barcode")
    logging.info("%d of %d cells called doublets", int(adata.obs["predicted_doublet"].sum()), adata.n_obs)
    adata = adata[~adata.obs["predicted_doublet"]].copy()
else:
    open(output.doublets, "w").write("barcode\tdoublet_score\tpredicted_doublet\n")

# library-size normalisation and log1p; HVGs by dispersion on the log data (the Seurat flavour: no scikit-misc)
sc.pp.normalize_total(adata, target_sum=1e4)
sc.pp.log1p(adata)
n_top = min(params.n_top_genes, adata.n_vars)
sc.pp.highly_variable_genes(adata, n_top_genes=n_top, flavor="seurat")
n_pcs = max(2, min(params.n_pcs, adata.n_obs - 1, n_top - 1))
sc.tl.pca(adata, n_comps=n_pcs, mask_var="highly_variable", random_state=0)
sc.pp.neighbors(adata, n_neighbors=min(params.n_neighbors, adata.n_obs - 1), n_pcs=n_pcs, random_state=0)
sc.tl.leiden(adata, resolution=params.resolution, random_state=0, flavor="leidenalg")
sc.tl.umap(adata, random_state=0)
logging.info("%d cells in %d Leiden clusters", adata.n_obs, adata.obs["leiden"].nunique())

# markers: each cluster against the rest, Wilcoxon rank-sum on log-normalised values, BH-adjusted
if adata.obs["leiden"].nunique() > 1:
    sc.tl.rank_genes_groups(adata, "leiden", method="wilcoxon", corr_method="benjamini-hochberg")
    markers = sc.get.rank_genes_groups_df(adata, group=None)
    markers = markers.groupby("group", observed=True).head(params.n_markers)
else:
    markers = adata.var_names[:0].to_frame(name="names")
markers.to_csv(output.markers, sep="\t", index=False)

with PdfPages(output.plots) as pdf:
    for colour in [c for c in ("leiden", "total_counts", "pct_counts_mt") if c in adata.obs]:
        figure = sc.pl.umap(adata, color=colour, show=False, return_fig=True)
        pdf.savefig(figure)
        plt.close(figure)

adata.write_h5ad(output.h5ad, compression="gzip")
