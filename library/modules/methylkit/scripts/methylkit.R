# methylKit: differentially methylated CpGs and tiles between two levels of the condition factor.
# Input: Bismark coverage files (chr, start, end, % methylated, methylated, unmethylated; 1-based).
log <- file(snakemake@log[[1]], open = "wt")
sink(log)
sink(log, type = "message")

suppressPackageStartupMessages(library(methylKit))

ids <- unlist(snakemake@params[["samples"]])
sheet <- read.delim(snakemake@input[["samples"]], stringsAsFactors = FALSE, check.names = FALSE)
rownames(sheet) <- sheet$sample
contrast <- unlist(snakemake@params[["contrast"]])  # factor, numerator level, reference level
files <- setNames(unlist(snakemake@input[["cov"]]), ids)
used <- ids[sheet[ids, contrast[1]] %in% contrast[2:3]]
# treatment 1: the numerator level, 0: the reference level; meth.diff is numerator minus reference
treatment <- as.integer(sheet[used, contrast[1]] == contrast[2])
message(sprintf("%s", paste(used, treatment, collapse = ", ")))

min_cov <- snakemake@params[["min_coverage"]]
raw <- methRead(as.list(files[used]), sample.id = as.list(used), assembly = "reference", treatment = treatment,
                context = "CpG", pipeline = "bismarkCoverage", mincov = min_cov)
filtered <- filterByCoverage(raw, lo.count = min_cov, hi.perc = 99.9)
normalized <- normalizeCoverage(filtered)

difference <- snakemake@params[["difference"]]
qvalue <- snakemake@params[["qvalue"]]
cores <- snakemake@threads

sites <- unite(normalized, destrand = FALSE)
message(sprintf("%d CpGs covered in every sample", nrow(sites)))
site_diff <- calculateDiffMeth(sites, mc.cores = cores)
dmcs <- getData(getMethylDiff(site_diff, difference = difference, qvalue = qvalue))
write.table(dmcs[order(dmcs$qvalue), ], snakemake@output[["dmcs"]], sep = "\t", quote = FALSE, row.names = FALSE)

size <- snakemake@params[["tile_size"]]
tiles <- unite(tileMethylCounts(filtered, win.size = size, step.size = size, cov.bases = 3), destrand = FALSE)
tile_diff <- calculateDiffMeth(tiles, mc.cores = cores)
regions <- getData(getMethylDiff(tile_diff, difference = difference, qvalue = qvalue))
write.table(regions[order(regions$qvalue), ], snakemake@output[["tiles"]], sep = "\t", quote = FALSE,
            row.names = FALSE)
message(sprintf("%d differentially methylated CpGs, %d tiles", nrow(dmcs), nrow(regions)))
