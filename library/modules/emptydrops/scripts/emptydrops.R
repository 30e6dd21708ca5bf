# Cell calling with DropletUtils emptyDrops on a raw 10x-style gene x barcode matrix.
log <- file(snakemake@log[[1]], open = "wt")
sink(log)
sink(log, type = "message")

suppressPackageStartupMessages({
    library(DropletUtils)
    library(Matrix)
    library(BiocParallel)
})

sce <- read10xCounts(snakemake@input[["matrix"]], col.names = TRUE)
counts <- counts(sce)
message(sprintf("%d genes x %d barcodes, %d UMIs", nrow(counts), ncol(counts), sum(counts)))

# barcodes without any UMI carry no information and only slow the test down
counts <- counts[, colSums(counts) > 0, drop = FALSE]
lower <- snakemake@params[["lower"]]
fdr <- snakemake@params[["fdr"]]

set.seed(snakemake@params[["seed"]])
result <- emptyDrops(counts, lower = lower, niters = snakemake@params[["niters"]],
                     BPPARAM = MulticoreParam(snakemake@threads))
is_cell <- !is.na(result$FDR) & result$FDR <= fdr
limited <- sum(result$Limited[is_cell], na.rm = TRUE)
message(sprintf("%d cells called at FDR <= %g (%d barcodes above lower = %d)", sum(is_cell), fdr,
                sum(result$Total > lower), lower))
if (limited > 0) {
    message(sprintf("%d called cells hit the iteration limit: raise niters for exact p-values", limited))
}

table <- data.frame(barcode = colnames(counts), total = result$Total, log_prob = result$LogProb,
                    p_value = result$PValue, fdr = result$FDR, is_cell = is_cell)
write.table(table[order(-table$total), ], snakemake@output[["calls"]], sep = "\t", quote = FALSE,
            row.names = FALSE)

genes <- rowData(sce)
write10xCounts(snakemake@output[["filtered"]], counts[, is_cell, drop = FALSE], gene.id = genes$ID,
               gene.symbol = genes$Symbol, barcodes = colnames(counts)[is_cell], version = "3", overwrite = TRUE)

# barcode-rank (knee) plot with the called cells highlighted
ranks <- barcodeRanks(counts, lower = lower)
pdf(snakemake@output[["plot"]], width = 6, height = 5)
keep <- ranks$total > 0
plot(ranks$rank[keep], ranks$total[keep], log = "xy", xlab = "Barcode rank", ylab = "Total UMIs",
     col = ifelse(is_cell[keep], "firebrick", "grey60"), pch = 16, cex = 0.5)
knee <- metadata(ranks)$knee
inflection <- metadata(ranks)$inflection
if (!is.null(knee) && is.finite(knee)) abline(h = knee, lty = 2, col = "dodgerblue")
if (!is.null(inflection) && is.finite(inflection)) abline(h = inflection, lty = 2, col = "forestgreen")
legend("bottomleft", legend = c("called cell", "empty droplet", "knee", "inflection"),
       col = c("firebrick", "grey60", "dodgerblue", "forestgreen"), pch = c(16, 16, NA, NA), lty = c(NA, NA, 2, 2),
       bty = "n")
invisible(dev.off())
