# ExomeDepth: germline exon-level CNVs of every sample of a cohort sequenced with one capture kit. Each sample is
# tested against a reference built from the other samples that correlate best with it (select.reference.set).
log <- file(snakemake@log[[1]], open = "wt")
sink(log)
sink(log, type = "message")

suppressPackageStartupMessages(library(ExomeDepth))

ids <- unlist(snakemake@params[["samples"]])
bams <- unlist(snakemake@input[["bams"]])
bed_path <- snakemake@params[["bed"]]
if (!nzchar(bed_path)) {
    stop("ExomeDepth needs the capture targets: set targets.bed in config/config.yaml to the kit's BED")
}
if (length(bams) < 3) {
    stop("ExomeDepth needs at least 3 samples: each is compared with a reference set chosen from the others")
}

bed <- read.delim(bed_path, header = FALSE, stringsAsFactors = FALSE, comment.char = "#")
if (ncol(bed) < 4) bed[[4]] <- paste0(bed[[1]], ":", bed[[2]] + 1, "-", bed[[3]])  # no names: use coordinates
bed <- bed[, 1:4]
colnames(bed) <- c("chromosome", "start", "end", "name")

counts <- as.data.frame(getBamCounts(bed.frame = bed, bam.files = bams, include.chr = FALSE,
                                     referenceFasta = snakemake@input[["fasta"]],
                                     min.mapq = as.integer(snakemake@params[["min_mapq"]])))
# columns: chromosome, start, end, exon, GC, then one count column per BAM in input order
count_matrix <- as.matrix(counts[, seq(ncol(counts) - length(bams) + 1, ncol(counts))])
colnames(count_matrix) <- ids

calls <- list()
for (i in seq_along(ids)) {
    others <- count_matrix[, -i, drop = FALSE]
    choice <- select.reference.set(test.counts = count_matrix[, i], reference.counts = others,
                                   bin.length = (counts$end - counts$start) / 1000, n.bins.reduced = 10000)
    reference <- rowSums(others[, choice$reference.choice, drop = FALSE])
    fit <- new("ExomeDepth", test = count_matrix[, i], reference = reference,
               formula = "cbind(test, reference) ~ 1")
    fit <- CallCNVs(x = fit, transition.probability = as.numeric(snakemake@params[["transition_probability"]]),
                    chromosome = counts$chromosome, start = counts$start, end = counts$end, name = counts$exon)
    found <- fit@CNV.calls
    message(sprintf("%s: reference of %d samples, %d CNV calls", ids[i], length(choice$reference.choice),
                    nrow(found)))
    if (nrow(found) > 0) {
        found$sample <- ids[i]
        found$reference_samples <- paste(choice$reference.choice, collapse = ",")
        calls[[ids[i]]] <- found
    }
}

columns <- c("sample", "type", "chromosome", "start", "end", "nexons", "BF", "reads.expected", "reads.observed",
             "reads.ratio", "id", "reference_samples")
table <- if (length(calls)) do.call(rbind, calls) else NULL
if (is.null(table)) {
    table <- setNames(data.frame(matrix(ncol = length(columns), nrow = 0)), columns)
} else {
    table <- table[table$BF >= as.numeric(snakemake@params[["min_bayes_factor"]]), columns]
}
write.table(table, snakemake@output[["calls"]], sep = "\t", quote = FALSE, row.names = FALSE)
