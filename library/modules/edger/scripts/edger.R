# edgeR quasi-likelihood differential expression for one contrast of the design factor.
# Counts come either from a featureCounts matrix or from Salmon quant.sf files summarised to genes with tximport.
log <- file(snakemake@log[[1]], open = "wt")
sink(log)
sink(log, type = "message")

suppressPackageStartupMessages(library(edgeR))

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

ids <- unlist(snakemake@params[["samples"]])
# a covariate with a single level (a batch column never filled in) cannot be estimated: it is dropped, not fatal
usable_design <- function(formula, coldata, factor_name) {
    terms <- all.vars(formula)
    single <- terms[terms != factor_name & vapply(terms, function(t) length(unique(coldata[[t]])) < 2, logical(1))]
    if (length(single) == 0) return(formula)
    message("dropping single-level covariate(s) from the design: ", paste(single, collapse = ", "))
    reformulate(setdiff(terms, single))
}

sheet <- read.delim(snakemake@input[["samples"]], stringsAsFactors = FALSE, check.names = FALSE)
rownames(sheet) <- sheet$sample
coldata <- sheet[ids, , drop = FALSE]

contrast <- unlist(snakemake@params[["contrast"]])  # factor, numerator level, reference level
factor_name <- contrast[1]
coldata[[factor_name]] <- relevel(factor(coldata[[factor_name]]), ref = contrast[3])
design <- model.matrix(usable_design(as.formula(snakemake@params[["design"]]), coldata, factor_name), data = coldata)

gtf_attributes <- read_gtf_attributes(snakemake@input[["gtf"]])
if (!is.null(snakemake@input[["quant"]])) {
    suppressPackageStartupMessages(library(tximport))
    files <- setNames(unlist(snakemake@input[["quant"]]), ids)
    # length-scaled TPMs: counts corrected for isoform length changes, usable as edgeR counts
    txi <- tximport(files, type = "salmon", tx2gene = tx2gene(gtf_attributes),
                    ignoreTxVersion = TRUE, ignoreAfterBar = TRUE, countsFromAbundance = "lengthScaledTPM")
    counts <- txi$counts
} else {
    fc <- read.delim(snakemake@input[["counts"]], comment.char = "#", check.names = FALSE)
    counts <- as.matrix(fc[, -(1:6), drop = FALSE])  # Geneid, Chr, Start, End, Strand, Length come first
    rownames(counts) <- fc$Geneid
}
colnames(counts) <- ids

y <- DGEList(counts = counts, samples = coldata, group = coldata[[factor_name]])
keep <- filterByExpr(y, design = design, min.count = snakemake@params[["min_count"]])
y <- y[keep, , keep.lib.sizes = FALSE]
message(sprintf("%d genes kept after filterByExpr", sum(keep)))
y <- calcNormFactors(y)
y <- estimateDisp(y, design)
fit <- glmQLFit(y, design, robust = TRUE)

# the numerator level's coefficient against the reference level (the intercept)
coefficient <- paste0(factor_name, contrast[2])
if (!coefficient %in% colnames(design)) {
    stop(sprintf("contrast level %s not found; design columns: %s", coefficient, paste(colnames(design), collapse = ", ")))
}
qlf <- glmQLFTest(fit, coef = coefficient)
print(summary(decideTests(qlf, p.value = snakemake@params[["alpha"]])))
table <- topTags(qlf, n = Inf)$table

write.table(data.frame(gene_id = rownames(table), gene_name = gene_names(gtf_attributes, rownames(table)), table,
                       check.names = FALSE),
            snakemake@output[["results"]], sep = "\t", quote = FALSE, row.names = FALSE)
logcpm <- cpm(y, log = TRUE)
write.table(data.frame(gene_id = rownames(logcpm), gene_name = gene_names(gtf_attributes, rownames(logcpm)),
                       logcpm, check.names = FALSE),
            snakemake@output[["normalized"]], sep = "\t", quote = FALSE, row.names = FALSE)

pdf(snakemake@output[["plots"]])
plotMDS(y, main = "MDS of log-CPM")
plotBCV(y)
plotQLDisp(fit)
plotMD(qlf, main = sprintf("%s: %s vs %s", factor_name, contrast[2], contrast[3]))
invisible(dev.off())
