# Bambu: joint transcript discovery and quantification over all samples' long-read BAMs.
log <- file(snakemake@log[[1]], open = "wt")
sink(log)
sink(log, type = "message")

suppressPackageStartupMessages(library(bambu))

annotations <- prepareAnnotations(snakemake@input[["gtf"]])
# NDR: the expected share of false novel transcripts; Bambu's default model is trained on human, so the
# threshold is set explicitly for other organisms
se <- bambu(
    reads = unlist(snakemake@input[["bams"]]),
    annotations = annotations,
    genome = snakemake@input[["fasta"]],
    NDR = as.numeric(snakemake@params[["ndr"]]),
    opt.discovery = list(min.readFractionByGene = as.numeric(snakemake@params[["min_gene_fraction"]])),
    ncore = snakemake@threads
)
# writes extended_annotations.gtf, counts_transcript.txt, CPM_transcript.txt and the gene-level tables
writeBambuOutput(se, path = dirname(snakemake@output[["models"]]))
