"""Result folders as executed workflows leave them, for `biopipelines analyze` tests.

Each writer lays out report.json (the plan's steps, as `generate` writes it), config/samples.tsv and the result files
at the paths the modules declare, with the shared synthetic dataset's planted truths (library/testdata/synthetic.py):
the DE table and normalized counts follow the planted expression model (GENE_UP ~8x in treated; per-gene levels
and +-15% sample noise as the read simulator draws them) with DESeq2's columns and a median-of-ratios
normalisation and Welch tests standing in for DESeq2's model; the cohort VCF is bcftools call's record of the
planted homozygous SNV in both samples.
"""

from __future__ import annotations

import gzip
import json
import random
from pathlib import Path

import numpy as np
from scipy import stats

from biopipelines.library.testdata import synthetic as syn


def _workflow(root: Path, analysis_type: str, modules: list[str], samples: list[dict]) -> Path:
    (root / "config").mkdir(parents=True, exist_ok=True)
    plan = {"recipe": analysis_type, "title": f"test {analysis_type}",
            "steps": [{"step": m, "module": m} for m in modules], "samples": samples}
    (root / "report.json").write_text(json.dumps({"status": "validated", "analysis_type": analysis_type,
                                                  "plan": plan}), encoding="utf-8")
    columns = list(samples[0])
    lines = ["\t".join(columns)] + ["\t".join(str(s[c]) for c in columns) for s in samples]
    (root / "config" / "samples.tsv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return root


def planted_counts() -> tuple[list[str], list[str], np.ndarray]:
    """genes, samples, genes x samples counts drawn as library/testdata/synthetic.rnaseq_reads draws its reads."""
    items = syn.genes()
    levels = {g.gene_id: random.Random(g.gene_id).uniform(0.5, 2.0) for g in items}
    samples = [f"{c}_{r}" for c in ("control", "treated") for r in (1, 2, 3)]
    counts = np.zeros((len(items), len(samples)))
    for j, sample in enumerate(samples):
        rng = random.Random(f"{sample}-rna")
        for i, gene in enumerate(items):
            fold = 8 if sample.startswith("treated") and gene.gene_id == syn.GENE_UP else 1
            counts[i, j] = int(200 * levels[gene.gene_id] * fold * rng.uniform(0.85, 1.15))
    return [g.gene_id for g in items], samples, counts


def _bh(p: np.ndarray) -> np.ndarray:
    order = np.argsort(p)
    ranked = p[order] * len(p) / np.arange(1, len(p) + 1)
    adjusted = np.minimum.accumulate(ranked[::-1])[::-1]
    out = np.empty_like(p)
    out[order] = np.minimum(adjusted, 1.0)
    return out


def write_de(root: Path, tool: str = "deseq2", analysis_type: str = "rnaseq_de") -> Path:
    """DESeq2's table and normalized counts, or (tool="edger") edgeR's table and log-CPM, at the modules' paths."""
    genes, samples, counts = planted_counts()
    _workflow(root, analysis_type, ["featurecounts", tool],
              [{"sample": s, "condition": s.split("_")[0]} for s in samples])
    geo = np.exp(np.log(counts).mean(axis=1, keepdims=True))
    norm = counts / np.median(counts / geo, axis=0)
    logn = np.log2(norm + 1)
    control, treated = logn[:, :3], logn[:, 3:]
    lfc = treated.mean(axis=1) - control.mean(axis=1)
    pvalue = stats.ttest_ind(treated, control, axis=1, equal_var=False).pvalue
    padj = _bh(pvalue)
    folder = root / "results" / tool
    folder.mkdir(parents=True)
    if tool == "edger":
        header, values = "gene_id\tlogFC\tlogCPM\tF\tPValue\tFDR", [
            f"{lfc[i]:.4f}\t{logn[i].mean():.3f}\t{lfc[i] / 0.1:.3f}\t{pvalue[i]:.4g}\t{padj[i]:.4g}"
            for i in range(len(genes))]
        normalized, matrix = folder / "log_cpm.tsv", logn - 3.0  # log-CPM has negative values
    else:
        header, values = "gene_id\tbaseMean\tlog2FoldChange\tlfcSE\tstat\tpvalue\tpadj", [
            f"{norm[i].mean():.3f}\t{lfc[i]:.4f}\t0.1\t{lfc[i] / 0.1:.3f}\t{pvalue[i]:.4g}\t{padj[i]:.4g}"
            for i in range(len(genes))]
        normalized, matrix = folder / "normalized_counts.tsv", norm
    (folder / "de_results.tsv").write_text("\n".join([header] + [f"{g}\t{v}" for g, v in zip(genes, values)]) + "\n")
    rows = ["gene_id\t" + "\t".join(samples)] + [
        f"{g}\t" + "\t".join(f"{v:.3f}" for v in matrix[i]) for i, g in enumerate(genes)]
    normalized.write_text("\n".join(rows) + "\n")
    return root


def write_variants(root: Path) -> Path:
    samples = [{"sample": "sample_1"}, {"sample": "sample_2"}]
    _workflow(root, "germline_variants", ["bwa_mem", "bcftools_call"], samples)
    contig, pos = syn.SNV
    header = ["##fileformat=VCFv4.2", f"##contig=<ID=chr1,length={syn.CONTIGS['chr1']}>",
              "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tsample_1\tsample_2"]
    record = f"{contig}\t{pos}\t.\t{syn.snv_ref()}\t{syn.snv_alt()}\t225.4\tPASS\tDP=50;MQ=60\tGT:PL\t1/1:255,75,0\t" \
             "1/1:255,72,0"
    folder = root / "results" / "bcftools_call"
    folder.mkdir(parents=True)
    with gzip.open(folder / "cohort.vcf.gz", "wt") as handle:
        handle.write("\n".join([*header, record]) + "\n")
    return root


def write_peaks(root: Path) -> Path:
    _workflow(root, "chipseq_peaks", ["macs3_callpeak", "bedtools_genomecov"], [{"sample": "chip_1"}])
    contig, summit = syn.PEAK
    folder = root / "results" / "macs3_callpeak" / "chip_1"
    folder.mkdir(parents=True)
    (folder / "chip_1.peaks.bed").write_text(f"{contig}\t{summit - 300}\t{summit + 300}\tpeak_1\t500\n"
                                             f"chr2\t5000\t5250\tpeak_2\t60\n")
    cov = root / "results" / "bedtools_genomecov"
    cov.mkdir(parents=True)
    (cov / "chip_1.bedGraph").write_text(f"chr1\t0\t{summit - 300}\t1\nchr1\t{summit - 300}\t{summit + 300}\t40\n"
                                         f"chr1\t{summit + 300}\t30000\t1\n")
    return root


def write_taxa(root: Path) -> Path:
    _workflow(root, "metagenomic_profiling", ["metaphlan", "kraken2_combine"], [{"sample": "gut_1"},
                                                                               {"sample": "gut_2"}])
    folder = root / "results" / "kraken2_combine"
    folder.mkdir(parents=True)
    (folder / "taxon_relative_abundance.tsv").write_text(
        "taxid\tname\tgut_1\tgut_2\n816\tBacteroides\t60.0\t10.0\n1263\tRuminococcus\t30.0\t50.0\n"
        "561\tEscherichia\t10.0\t40.0\n")
    return root


def write_single_cell(root: Path, cells: int = 60) -> Path:
    _workflow(root, "scrnaseq_10x", ["kallisto_bus", "bustools_count", "emptydrops", "scanpy_qc"],
              [{"sample": "pbmc_1"}])
    rng = np.random.default_rng(3)
    dense = rng.poisson(rng.uniform(0.5, 4.0, size=(1, 40)), size=(cells, 40))
    dense[: cells // 2, :10] += 6  # two cell groups
    folder = root / "results" / "emptydrops" / "pbmc_1" / "filtered"
    folder.mkdir(parents=True)
    entries = [(g + 1, c + 1, int(dense[c, g])) for c in range(cells) for g in range(40) if dense[c, g]]
    (folder / "matrix.mtx").write_text("%%MatrixMarket matrix coordinate integer general\n"
                                       f"40 {cells} {len(entries)}\n" + "".join(f"{g} {c} {v}\n" for g, c, v in entries))
    (folder / "barcodes.tsv").write_text("".join(f"CELL{c:04d}\n" for c in range(cells)))
    (folder / "features.tsv").write_text("".join(f"g{g}\tG{g}\tGene Expression\n" for g in range(40)))
    return root
