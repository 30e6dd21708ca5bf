# Manhattan and QQ plots, the genomic inflation factor and the table of significant loci from association
# summary statistics (PLINK 2 --glm, REGENIE, SAIGE or BOLT-LMM). Run by Snakemake's script: directive; base R only.
log <- file(snakemake@log[[1]], open = "wt")
sink(log, type = "message")

# column spellings of the supported tools: the first one present is used
pick <- function(table, names) {
  found <- intersect(names, colnames(table))
  if (length(found) == 0) stop("no column among: ", paste(names, collapse = ", "))
  table[[found[1]]]
}

raw <- read.table(gzfile(snakemake@input[["sumstats"]]), header = TRUE, comment.char = "", check.names = FALSE,
                  sep = "", quote = "", na.strings = c("NA", "."), stringsAsFactors = FALSE)
colnames(raw) <- sub("^#", "", colnames(raw))
if ("TEST" %in% colnames(raw)) raw <- raw[raw$TEST == "ADD", ]  # the genotype's row, not a covariate's
chrom <- as.character(pick(raw, c("CHROM", "CHR")))
pos <- as.numeric(pick(raw, c("POS", "GENPOS", "BP")))
id <- as.character(pick(raw, c("ID", "MarkerID", "SNP")))
p <- if ("LOG10P" %in% colnames(raw)) 10^(-raw$LOG10P) else as.numeric(pick(raw, c("P", "p.value", "P_BOLT_LMM")))
effect <- if (any(c("OR", "BETA", "Estimate") %in% colnames(raw))) {
  as.numeric(pick(raw, c("OR", "BETA", "Estimate")))
} else NA
effect_name <- intersect(c("OR", "BETA", "Estimate"), colnames(raw))[1]
se <- if (any(c("LOG(OR)_SE", "SE", "SE.BETA") %in% colnames(raw))) as.numeric(pick(raw, c("LOG(OR)_SE", "SE"))) else NA
allele <- if (any(c("A1", "ALLELE1", "Allele2", "ALLELE1") %in% colnames(raw))) {
  as.character(pick(raw, c("A1", "ALLELE1", "Allele2")))
} else NA
res <- data.frame(chrom, pos, id, allele, effect, se, p, stringsAsFactors = FALSE)
res <- res[is.finite(res$p) & res$p > 0 & res$p <= 1, ]
if (nrow(res) == 0) stop("no variant with a valid p-value in ", snakemake@input[["sumstats"]])

# genomic inflation: observed median chi-squared (1 df) over the null median
lambda <- median(qchisq(res$p, df = 1, lower.tail = FALSE)) / qchisq(0.5, df = 1)
genome_wide <- as.numeric(snakemake@params[["genome_wide"]])
suggestive <- as.numeric(snakemake@params[["suggestive"]])

# chromosome order: numbers first, then X, Y, XY, MT and other names
chrom_key <- function(x) {
  named <- c(X = 23, Y = 24, XY = 25, MT = 26, M = 26)
  key <- suppressWarnings(as.numeric(sub("^chr", "", x)))
  ifelse(is.na(key), ifelse(sub("^chr", "", x) %in% names(named), named[sub("^chr", "", x)], 99), key)
}
res <- res[order(chrom_key(res$chrom), res$pos), ]
chroms <- unique(res$chrom)
offsets <- cumsum(c(0, sapply(chroms, function(ch) max(res$pos[res$chrom == ch]))[-length(chroms)]))
names(offsets) <- chroms
x <- res$pos + offsets[res$chrom]
logp <- -log10(res$p)

png(snakemake@output[["manhattan"]], width = 2400, height = 1000, res = 200)
colours <- c("#1f4e79", "#6fa8dc")[(match(res$chrom, chroms) %% 2) + 1]
plot(x, logp, pch = 20, cex = 0.5, col = colours, xaxt = "n", xlab = "Chromosome",
     ylab = expression(-log[10](italic(p))), ylim = c(0, max(logp, -log10(genome_wide)) * 1.05),
     main = sprintf("Manhattan plot (%d variants, lambda = %.3f)", nrow(res), lambda))
centres <- sapply(chroms, function(ch) mean(range(x[res$chrom == ch])))
axis(1, at = centres, labels = sub("^chr", "", chroms), cex.axis = 0.7, las = 2)
abline(h = -log10(genome_wide), col = "red", lty = 2)
abline(h = -log10(suggestive), col = "grey40", lty = 3)
invisible(dev.off())

png(snakemake@output[["qq"]], width = 1200, height = 1200, res = 200)
expected <- -log10(ppoints(nrow(res)))
plot(expected, sort(logp, decreasing = TRUE), pch = 20, cex = 0.5, col = "#1f4e79",
     xlab = expression(Expected ~ -log[10](italic(p))), ylab = expression(Observed ~ -log[10](italic(p))),
     main = sprintf("QQ plot, lambda = %.3f", lambda))
abline(0, 1, col = "red")
invisible(dev.off())

# hits: suggestive variants, grouped into loci around the strongest one (distance-based, not LD clumping)
hits <- res[res$p < suggestive, ]
hits <- hits[order(hits$p), ]
hits$class <- ifelse(hits$p < genome_wide, "genome_wide", "suggestive")
hits$locus <- NA_integer_
hits$lead <- FALSE
window <- as.numeric(snakemake@params[["locus_kb"]]) * 1000
for (i in seq_len(nrow(hits))) {
  if (!is.na(hits$locus[i])) next
  near <- is.na(hits$locus) & hits$chrom == hits$chrom[i] & abs(hits$pos - hits$pos[i]) <= window
  hits$locus[near] <- max(c(0, hits$locus), na.rm = TRUE) + 1
  hits$lead[i] <- TRUE
}
names(hits)[names(hits) == "effect"] <- if (is.na(effect_name)) "effect" else effect_name
write.table(hits, snakemake@output[["hits"]], sep = "\t", quote = FALSE, row.names = FALSE, na = "NA")

summary <- data.frame(
  metric = c("variants_tested", "lambda_gc", "genome_wide_threshold", "genome_wide_variants", "genome_wide_loci",
             "suggestive_threshold", "suggestive_variants"),
  value = c(nrow(res), sprintf("%.4f", lambda), genome_wide, sum(hits$class == "genome_wide"),
            length(unique(hits$locus[hits$class == "genome_wide"])), suggestive, nrow(hits)))
write.table(summary, snakemake@output[["summary"]], sep = "\t", quote = FALSE, row.names = FALSE)
message(sprintf("%d variants, lambda %.4f, %d genome-wide significant", nrow(res), lambda,
                sum(hits$class == "genome_wide")))
