# DEXSeq differential exon usage for one contrast of the condition factor, from dexseq_count.py tables.
log <- file(snakemake@log[[1]], open = "wt")
sink(log)
sink(log, type = "message")

suppressPackageStartupMessages({
    library(DEXSeq)
    library(BiocParallel)
})

ids <- unlist(snakemake@params[["samples"]])
sheet <- read.delim(snakemake@input[["samples"]], stringsAsFactors = FALSE, check.names = FALSE)
rownames(sheet) <- sheet$sample
contrast <- unlist(snakemake@params[["contrast"]])  # factor, numerator level, reference level
levels_kept <- contrast[2:3]
keep_samples <- ids[sheet[ids, contrast[1]] %in% levels_kept]
files <- setNames(unlist(snakemake@input[["counts"]]), ids)[keep_samples]
sample_data <- data.frame(row.names = keep_samples,
                          condition = factor(sheet[keep_samples, contrast[1]], levels = rev(levels_kept)))
message(sprintf("%d samples: %s", length(keep_samples), paste(keep_samples, sample_data$condition, collapse = ", ")))

dxd <- DEXSeqDataSetFromHTSeq(files, sampleData = sample_data, design = ~ sample + exon + condition:exon,
                              flattenedfile = snakemake@input[["gff"]])
keep <- rowSums(featureCounts(dxd)) >= snakemake@params[["min_count"]]
dxd <- dxd[keep, ]
message(sprintf("%d exon bins kept after filtering", sum(keep)))

bpparam <- if (snakemake@threads > 1) MulticoreParam(snakemake@threads) else SerialParam()
dxd <- estimateSizeFactors(dxd)
dxd <- estimateDispersions(dxd, BPPARAM = bpparam)
dxd <- testForDEU(dxd, BPPARAM = bpparam)
dxd <- estimateExonFoldChanges(dxd, fitExpToVar = "condition", BPPARAM = bpparam)
res <- DEXSeqResults(dxd)

table <- as.data.frame(res[, c("groupID", "featureID", "exonBaseMean", "dispersion", "stat", "pvalue", "padj")])
fold <- grep("^log2fold_", colnames(res), value = TRUE)
table$log2FoldChange <- res[[fold[1]]]  # numerator over reference level
ranges <- res$genomicData
table$chr <- as.character(GenomicRanges::seqnames(ranges))
table$start <- GenomicRanges::start(ranges)
table$end <- GenomicRanges::end(ranges)
table$strand <- as.character(GenomicRanges::strand(ranges))
table <- table[order(table$padj, table$pvalue, na.last = TRUE), ]
message(sprintf("%d exon bins with padj < %s", sum(table$padj < snakemake@params[["alpha"]], na.rm = TRUE),
                snakemake@params[["alpha"]]))
write.table(table, snakemake@output[["results"]], sep = "\t", quote = FALSE, row.names = FALSE)

pdf(snakemake@output[["plots"]])
plotDispEsts(dxd)
plotMA(res, alpha = snakemake@params[["alpha"]], main = sprintf("%s vs %s", contrast[2], contrast[3]))
top <- table$groupID[!is.na(table$padj)][1]
if (!is.na(top)) {
    plotDEXSeq(res, top, fitExpToVar = "condition", legend = TRUE, displayTranscripts = FALSE)
}
invisible(dev.off())
