# DADA2 amplicon sequence variants from the primer-trimmed reads of every sample (paired or single-end).
# Outputs: ASVs as FASTA (ASV_1, ASV_2 ... by decreasing total abundance), the ASV x sample count table and the
# number of reads kept at each step.
log <- file(snakemake@log[[1]], open = "wt")
sink(log)
sink(log, type = "message")
suppressPackageStartupMessages(library(dada2))
set.seed(1)

samples <- unlist(snakemake@params[["samples"]])
paired <- "r2" %in% names(snakemake@input)
threads <- as.integer(snakemake@threads)
p <- snakemake@params
pool <- switch(tolower(as.character(p[["pool"]])), "true" = TRUE, "false" = FALSE, "pseudo" = "pseudo",
               stop("pool must be pseudo, true or false"))

r1 <- unlist(snakemake@input[["r1"]])
names(r1) <- samples
filtered <- file.path(tempdir(), "filtered")
dir.create(filtered, showWarnings = FALSE)
f1 <- file.path(filtered, paste0(samples, "_R1.fastq.gz"))
names(f1) <- samples
if (paired) {
    r2 <- unlist(snakemake@input[["r2"]])
    f2 <- file.path(filtered, paste0(samples, "_R2.fastq.gz"))
    names(f2) <- samples
    counts <- filterAndTrim(r1, f1, r2, f2, truncLen = c(p[["trunc_len_r1"]], p[["trunc_len_r2"]]),
                            maxEE = c(p[["max_ee"]], p[["max_ee"]]), truncQ = p[["trunc_q"]],
                            minLen = p[["min_len"]], maxN = 0, rm.phix = TRUE, compress = TRUE,
                            multithread = threads)
} else {
    counts <- filterAndTrim(r1, f1, truncLen = p[["trunc_len_r1"]], maxEE = p[["max_ee"]],
                            truncQ = p[["trunc_q"]], minLen = p[["min_len"]], maxN = 0, rm.phix = TRUE,
                            compress = TRUE, multithread = threads)
}
kept <- samples[file.exists(f1)]  # samples with no read left after filtering get no output file
if (length(kept) == 0) stop("no reads passed filterAndTrim in any sample")

as_list <- function(x) if (inherits(x, "dada") || is.data.frame(x)) setNames(list(x), kept) else x
denoise <- function(files) {
    err <- learnErrors(files, multithread = threads, randomize = TRUE)
    as_list(dada(files, err = err, pool = pool, multithread = threads))
}
dd1 <- denoise(f1[kept])
if (paired) {
    dd2 <- denoise(f2[kept])
    merged <- as_list(mergePairs(dd1, f1[kept], dd2, f2[kept], minOverlap = p[["min_overlap"]]))
} else {
    merged <- dd1
}
seqtab <- makeSequenceTable(merged)
nochim <- removeBimeraDenovo(seqtab, method = p[["chimera_method"]], multithread = threads)
message(sprintf("%d ASVs, %d chimeric removed", ncol(nochim), ncol(seqtab) - ncol(nochim)))

# ASV x sample table in sample sheet order, samples without reads as zero columns
full <- matrix(0L, nrow = ncol(nochim), ncol = length(samples), dimnames = list(NULL, samples))
full[, rownames(nochim)] <- t(nochim)
order <- order(rowSums(full), decreasing = TRUE)
full <- full[order, , drop = FALSE]
sequences <- colnames(nochim)[order]
ids <- paste0("ASV_", seq_along(sequences))
writeLines(paste0(">", ids, "\n", sequences), snakemake@output[["asvs"]])
table <- data.frame(ASV_ID = ids, full, check.names = FALSE)
write.table(table, snakemake@output[["table"]], sep = "\t", quote = FALSE, row.names = FALSE)

reads <- function(x) sapply(x, function(d) sum(getUniques(d)))
track <- data.frame(sample = samples, input = counts[, 1], filtered = counts[, 2], denoised_r1 = 0)
track[match(kept, samples), "denoised_r1"] <- reads(dd1)
if (paired) {
    track$denoised_r2 <- 0
    track[match(kept, samples), "denoised_r2"] <- reads(dd2)
    track$merged <- 0
    track[match(kept, samples), "merged"] <- reads(merged)
}
track$nonchimeric <- 0
track[match(kept, samples), "nonchimeric"] <- rowSums(nochim)[kept]
write.table(track, snakemake@output[["read_counts"]], sep = "\t", quote = FALSE, row.names = FALSE)
