# DESeq2 differential expression for one contrast of the design factor.
# Counts come either from a featureCounts matrix or from Salmon quant.sf files summarised to genes with tximport.
log <- file(snakemake@log[[1]], open = "wt")
sink(log)
sink(log, type = "message")

suppressPackageStartupMessages({
    library(DESeq2)
    library(BiocParallel)
})

# the GTF's feature types and attribute strings, read once: a GENCODE GTF is large
read_gtf_attributes <- function(gtf) {
    read.delim(gtf, header = FALSE, comment.char = "#", quote = "", stringsAsFactors = FALSE,
               colClasses = c("NULL", "NULL", "character", rep("NULL", 5), "character"),
               col.names = c("", "", "feature", rep("", 5), "attributes"))
}

# transcript -> gene table, with version suffixes removed so Ensembl and GENCODE names both match
tx2gene <- function(gtf_attributes) {
    attrs <- gtf_attributes$attributes[gtf_attributes$feature == "transcript"]
    tx <- sub('.*transcript_id "([^"]+)".*', "\\1", attrs)
    gene <- sub('.*gene_id "([^"]+)".*', "\\1", attrs)
    unique(data.frame(tx = sub("\\.[0-9]+$", "", tx), gene = gene))
}

# gene_id -> gene_name (nf-core/differentialabundance's features_name_col): tables carry symbols beside the ids;
# a gene without a gene_name attribute keeps its id
gene_names <- function(gtf_attributes, ids) {
    attrs <- grep('gene_name "', gtf_attributes$attributes, fixed = TRUE, value = TRUE)
    named <- sub('.*gene_id "([^"]+)".*', "\\1", attrs)
    symbol <- setNames(sub('.*gene_name "([^"]+)".*', "\\1", attrs), named)[!duplicated(named)]
    ifelse(ids %in% names(symbol), symbol[ids], ids)
}

# a covariate with a single level (a batch column never filled in) cannot be estimated: it is dropped, not fatal
usable_design <- function(formula, coldata, factor_name) {
    terms <- all.vars(formula)
    single <- terms[terms != factor_name & vapply(terms, function(t) length(unique(coldata[[t]])) < 2, logical(1))]
    if (length(single) == 0) return(formula)
    message("dropping single-level covariate(s) from the design: ", paste(single, collapse = ", "))
    reformulate(setdiff(terms, single))
}

ids <- unlist(snakemake@params[["samples"]])
sheet <- read.delim(snakemake@input[["samples"]], stringsAsFactors = FALSE, check.names = FALSE)
rownames(sheet) <- sheet$sample
coldata <- sheet[ids, , drop = FALSE]

contrast <- unlist(snakemake@params[["contrast"]])  # factor, numerator level, reference level
factor_name <- contrast[1]
coldata[[factor_name]] <- relevel(factor(coldata[[factor_name]]), ref = contrast[3])
design <- usable_design(as.formula(snakemake@params[["design"]]), coldata, factor_name)

gtf_attributes <- read_gtf_attributes(snakemake@input[["gtf"]])
if (!is.null(snakemake@input[["quant"]])) {
    suppressPackageStartupMessages(library(tximport))
    files <- setNames(unlist(snakemake@input[["quant"]]), ids)
    txi <- tximport(files, type = "salmon", tx2gene = tx2gene(gtf_attributes),
                    ignoreTxVersion = TRUE, ignoreAfterBar = TRUE)
    dds <- DESeqDataSetFromTximport(txi, colData = coldata, design = design)
} else {
    fc <- read.delim(snakemake@input[["counts"]], comment.char = "#", check.names = FALSE)
    counts <- as.matrix(fc[, -(1:6), drop = FALSE])  # Geneid, Chr, Start, End, Strand, Length come first
    rownames(counts) <- fc$Geneid
    colnames(counts) <- ids
    dds <- DESeqDataSetFromMatrix(counts, colData = coldata, design = design)
}

# a gene must reach min_count reads in at least as many samples as the smallest group has
smallest_group <- min(table(coldata[[factor_name]]))
keep <- rowSums(counts(dds) >= snakemake@params[["min_count"]]) >= smallest_group
dds <- dds[keep, ]
message(sprintf("%d genes kept after filtering", sum(keep)))

register(MulticoreParam(snakemake@threads))
dds <- DESeq(dds, parallel = snakemake@threads > 1)
res <- results(dds, contrast = contrast, alpha = snakemake@params[["alpha"]])
summary(res)
# shrunken fold changes (DESeq2 vignette; nf-core/differentialabundance shrinks by default) rank and plot genes
# without the noise of low counts; the MLE column stays for the Wald test it belongs to
shrunk <- lfcShrink(dds, contrast = contrast, res = res, type = "normal")
res$log2FoldChange_shrunk <- shrunk$log2FoldChange
res$lfcSE_shrunk <- shrunk$lfcSE
res <- res[order(res$padj, na.last = TRUE), ]

write.table(data.frame(gene_id = rownames(res), gene_name = gene_names(gtf_attributes, rownames(res)),
                       as.data.frame(res), check.names = FALSE),
            snakemake@output[["results"]], sep = "\t", quote = FALSE, row.names = FALSE)
norm <- counts(dds, normalized = TRUE)
write.table(data.frame(gene_id = rownames(norm), gene_name = gene_names(gtf_attributes, rownames(norm)), norm,
                       check.names = FALSE),
            snakemake@output[["normalized"]], sep = "\t", quote = FALSE, row.names = FALSE)

pdf(snakemake@output[["plots"]])
plotMA(shrunk, main = sprintf("%s: %s vs %s (shrunken LFC)", factor_name, contrast[2], contrast[3]))
plotDispEsts(dds)
# vst() subsamples 1000 genes to fit the trend; small gene sets need the full transformation
# and a handful of genes (a targeted panel) may not support any dispersion trend: then a plain log2 transform
vsd <- tryCatch(
    if (nrow(dds) >= 1000) vst(dds, blind = TRUE) else varianceStabilizingTransformation(dds, blind = TRUE),
    error = function(e) {
        message("variance-stabilising transformation failed (", conditionMessage(e), "); using log2(n + 1)")
        normTransform(dds)
    })
print(plotPCA(vsd, intgroup = factor_name))
invisible(dev.off())
