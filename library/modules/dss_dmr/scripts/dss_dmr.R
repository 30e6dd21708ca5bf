# DSS: differentially methylated loci and regions between two levels of the condition factor.
# Input: Bismark-style coverage files (chr, start, end, % methylated, methylated, unmethylated; 1-based).
log <- file(snakemake@log[[1]], open = "wt")
sink(log)
sink(log, type = "message")

suppressPackageStartupMessages(library(DSS))

ids <- unlist(snakemake@params[["samples"]])
sheet <- read.delim(snakemake@input[["samples"]], stringsAsFactors = FALSE, check.names = FALSE)
rownames(sheet) <- sheet$sample
contrast <- unlist(snakemake@params[["contrast"]])  # factor, numerator level, reference level
files <- setNames(unlist(snakemake@input[["cov"]]), ids)
group1 <- ids[sheet[ids, contrast[1]] == contrast[2]]  # numerator
group2 <- ids[sheet[ids, contrast[1]] == contrast[3]]  # reference
if (length(group1) == 0 || length(group2) == 0) {
    stop(sprintf("no samples for %s or %s in column %s", contrast[2], contrast[3], contrast[1]))
}
message(sprintf("group 1 (%s): %s; group 2 (%s): %s", contrast[2], paste(group1, collapse = ", "),
                contrast[3], paste(group2, collapse = ", ")))

read_cov <- function(path) {
    cov <- read.table(gzfile(path), sep = "\t", header = FALSE, stringsAsFactors = FALSE,
                      col.names = c("chr", "start", "end", "percent", "methylated", "unmethylated"))
    data.frame(chr = cov$chr, pos = cov$start, N = cov$methylated + cov$unmethylated, X = cov$methylated)
}
used <- c(group1, group2)
bs <- makeBSseqData(lapply(files[used], read_cov), used)
message(sprintf("%d CpG sites", length(bs)))

smoothing <- isTRUE(snakemake@params[["smoothing"]])
dml_test <- DMLtest(bs, group1 = group1, group2 = group2, smoothing = smoothing, ncores = snakemake@threads)
# diff is group 1 minus group 2: positive means more methylation in the numerator level
dmls <- callDML(dml_test, delta = snakemake@params[["delta"]], p.threshold = snakemake@params[["alpha"]])
dmrs <- callDMR(dml_test, delta = snakemake@params[["delta"]],
                p.threshold = as.numeric(snakemake@params[["p_threshold"]]),
                minlen = snakemake@params[["min_length"]], minCG = snakemake@params[["min_cpg"]])
if (is.null(dmrs) || NROW(dmrs) == 0) {
    dmrs <- data.frame(chr = character(), start = integer(), end = integer(), length = integer(),
                       nCG = integer(), meanMethy1 = numeric(), meanMethy2 = numeric(), diff.Methy = numeric(),
                       areaStat = numeric())
}
message(sprintf("%d DMLs, %d DMRs", NROW(dmls), NROW(dmrs)))
write.table(dmls, snakemake@output[["dmls"]], sep = "\t", quote = FALSE, row.names = FALSE)
write.table(dmrs, snakemake@output[["dmrs"]], sep = "\t", quote = FALSE, row.names = FALSE)
