"""The synthetic dataset of each analysis type that has one (RECIPE_DATA): how to make its files, and how to tell
that a run recovered what was planted. fill.py writes them into a generated workflow's .test/.

The sequencing datasets of the core analyses follow the generated sample sheet (one sample per row, named as the
request named them). The others bring their own samples, because their truth lives in the samples' relations (cases
and controls, a cassette exon skipped in one group, a clade of genomes); the generated sheet's condition names are
kept (fill.py relabels the groups).
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from biopipelines.library.testdata import synthetic as syn
from biopipelines.library.testdata import synthetic_cnv as cnv
from biopipelines.library.testdata import synthetic_gwas as gw
from biopipelines.library.testdata import synthetic_hic_somatic as hs
from biopipelines.library.testdata import synthetic_imputation as si
from biopipelines.library.testdata import synthetic_metagenomics as meta
from biopipelines.library.testdata import synthetic_outbreak as ob
from biopipelines.library.testdata import synthetic_pangenome as pan
from biopipelines.library.testdata import synthetic_smallrna_ribo as srr
from biopipelines.library.testdata import synthetic_splice_methyl as sm
from biopipelines.library.testdata import truth


@dataclass(frozen=True)
class Inputs:
    """A dataset's files: reference files by config.yaml `reference` key, the sample sheet's rows (None keeps the
    generated sheet) and per-section config overrides. Paths may be str or Path, anywhere under the scratch folder."""

    reference: dict[str, Path]
    rows: list[dict] | None
    config: dict = field(default_factory=dict)


@dataclass(frozen=True)
class TestDataset:
    description: str  # what was planted, said to the user
    make: Callable[[Path, list[dict], bool], Inputs]  # (scratch folder, the generated sheet's rows, paired reads?)
    truth: Callable[[Path], tuple[bool, str]]  # .test/ after a run -> (planted truth recovered?, what was found)


# Parameters the 50 kb toy genome needs (STAR's suffix-array index must be small for it).
SMALL_GENOME = {
    "star_index": {"sjdb_overhang": syn.READ_LEN - 1, "extra": "--genomeSAindexNbases 6"},
    "macs3_callpeak": {"gsize": "50000"},
    # ATAC mode has no control (--nolambda): with a human genome size the background is so low that MACS calls
    # dozens of background peaks on the toy genome, and FRiP means nothing
    "macs3_atac": {"gsize": "50000"},
    # deepTools steps by genome size / samples: 100 samples tile the 50 kb genome once in 500 bp bins (the default
    # would count a 500 bp bin at every base, for minutes)
    "deeptools_plotfingerprint": {"samples_per_bam": 100},
}
# A 1 kb base resolution for the 50 kb genome, and a sort buffer a small machine has.
HIC_TINY = {"cooler_cload": {"binsize": hs.BIN}, "cooler_zoomify": {"resolutions": "1000,2000,5000"},
            "pairtools_sort": {"memory": "200M"}}
ReadMaker = Callable[[Path, dict, list[dict], bool], tuple[Path, Path | None]]  # (folder, row, all rows, paired)


def _per_sheet_row(reads: ReadMaker) -> Callable[[Path, list[dict], bool], Inputs]:
    """The toy genome, and one sample's reads per row of the generated sheet."""
    def make(folder: Path, rows: list[dict], paired: bool) -> Inputs:
        filled = []
        for row in rows:
            r1, r2 = reads(folder / "reads", row, rows, paired)
            filled.append({**row, "fq1": r1, "fq2": r2 if r2 is not None and row.get("fq2") else row.get("fq2", "")})
        return Inputs(syn.write_reference(folder / "reference"), filled, SMALL_GENOME)
    return make


def _rna(folder: Path, row: dict, rows: list[dict], paired: bool) -> tuple[Path, Path | None]:
    # The sheet's second group is "treated" (GENE_UP ~8x higher): with the default contrast [factor, first, second]
    # the planted gene is the most significant whichever way the fold change points.
    groups = list(dict.fromkeys(r.get("condition", "") for r in rows))
    treated = len(groups) > 1 and row.get("condition", "") == groups[1]
    return syn.rnaseq_sample(folder, row["sample"], treated, paired)


def _dna(folder: Path, row: dict, rows: list[dict], paired: bool) -> tuple[Path, Path | None]:
    return syn.dna_sample(folder, row["sample"], paired=paired)


def _germline(folder: Path, rows: list[dict], paired: bool) -> Inputs:
    """The toy genome and one sample's reads per row; where snpEff is installed, also a SnpEff repository of the toy
    genome (a CDS through the SNV), so a workflow with the annotate step on fetches that database, not a real
    build's (fill.py sets the snpeff sections only where the workflow has them). The file: URL is relative to .test/,
    where Snakemake runs."""
    inputs = _per_sheet_row(_dna)(folder, rows, paired)
    if shutil.which("snpEff") is None:
        return inputs
    repository = syn.write_snpeff_repository(folder / "snpeff", Path(inputs.reference["fasta"]))
    config = {**inputs.config, "snpeff": {"database": syn.SNPEFF_DATABASE},
              "snpeff_download": {"repository": f"file:{repository}"}}
    return Inputs(inputs.reference, inputs.rows, config)


def _sv(folder: Path, row: dict, rows: list[dict], paired: bool) -> tuple[Path, Path | None]:
    return syn.dna_sample(folder, row["sample"], paired=paired, deletion=True)


def _chip(folder: Path, row: dict, rows: list[dict], paired: bool) -> tuple[Path, Path | None]:
    # Input and IgG controls (named as another row's control, or labelled so) get background reads only.
    controls = {r.get("control", "") for r in rows} - {""}
    control = row["sample"] in controls or row.get("antibody", "").lower() in ("input", "igg", "control")
    return syn.chip_sample(folder, row["sample"], 0 if control else 1_500, paired)


def _atac(folder: Path, row: dict, rows: list[dict], paired: bool) -> tuple[Path, Path | None]:
    return syn.chip_sample(folder, row["sample"], 1_500, paired)


def _gwas(folder: Path, rows: list[dict], paired: bool) -> Inputs:
    genotypes = gw.write_cohort(folder / "genotypes")  # PLINK fileset, and the same cohort as a VCF
    genotypes.update(vcf=gw.write_vcf(folder / "genotypes" / "cohort.vcf.gz"), phenotype=gw.PHENOTYPE)
    # 600 samples and 2,000 variants: a few principal components absorb the planted stratification
    return Inputs({}, None, {"genotypes": genotypes, "plink2_pca": {"n_pcs": 4}, "plink2_glm": {"n_pcs": 4}})


def _imputation(folder: Path, rows: list[dict], paired: bool) -> Inputs:
    paths = si.write_all(folder)
    # a toy panel of 8 founders has a tiny effective size (Beagle's human default would over-smooth it)
    toy_ne = {"ne": 20000}
    return Inputs({"panel": paths["panel"], "genetic_map": paths["genetic_map"]}, None,
                  {"genotypes": {"vcf": paths["vcf"]}, "beagle_phase": toy_ne, "beagle_impute": toy_ne})


def _amplicon(folder: Path, rows: list[dict], paired: bool) -> Inputs:
    return Inputs(meta.write_sintax_db(folder / "reference"), meta.amplicon_reads(folder / "reads"))


def _exomes(folder: Path, rows: list[dict], paired: bool) -> Inputs:
    targets = cnv.write_targets(folder / "reference" / "targets.bed")
    return Inputs(cnv.write_reference(folder / "reference"), cnv.exome_reads(folder / "reads"),
                  {"targets": {"bed": targets}})


def _small_rna(folder: Path, rows: list[dict], paired: bool) -> Inputs:
    return Inputs(srr.smallrna_reference(folder / "reference"), srr.smallrna_reads(folder / "reads")[0])


def _splicing(folder: Path, rows: list[dict], paired: bool) -> Inputs:
    return Inputs(sm.write_splice_reference(folder / "reference"), sm.splice_reads(folder / "reads"),
                  SMALL_GENOME)


def _hic(folder: Path, rows: list[dict], paired: bool) -> Inputs:
    return Inputs(syn.write_reference(folder / "reference"), hs.hic_reads(folder / "reads"), HIC_TINY)


def _assemblies(folder: Path, rows: list[dict], paired: bool) -> Inputs:
    # Debian's Prokka has no UniProt database: a stand-in one names the planted proteins
    dbdir = pan.write_prokka_db(folder / "prokka_db")
    return Inputs({}, pan.write_assemblies(folder / "assemblies"),
                  {"prokka": {"extra": f"--centre X --compliant --norrna --notrna --dbdir {dbdir}"}})


def _outbreak(folder: Path, rows: list[dict], paired: bool) -> Inputs:
    # the cluster threshold below the planted clade distances (9-13 SNPs): the transmission pair alone clusters
    return Inputs({"fasta": syn.write_fasta(folder / "reference" / "genome.fa", syn.genome())},
                  ob.outbreak_reads(folder / "reads", paired), {"snp_dists": {"threshold": ob.CLUSTER_THRESHOLD}})


_SNV = f"every sample homozygous for an SNV at {syn.SNV[0]}:{syn.SNV[1]}"
_PEAK = f"fragments enriched around {syn.PEAK[0]}:{syn.PEAK[1]} over a uniform background; controls uniform"
RECIPE_DATA: dict[str, TestDataset] = {
    "rnaseq_de": TestDataset(f"24 two-exon genes on a 50 kb genome; {syn.GENE_UP} ~8x higher in the sheet's "
                             "second group", _per_sheet_row(_rna), truth.planted_de_gene),
    "germline_variants": TestDataset(f"~25x reads of a 50 kb genome, {_SNV}", _germline,
                                     truth.planted_snv),
    "viral_consensus": TestDataset(f"~25x reads of a 50 kb genome, {_SNV}", _per_sheet_row(_dna), truth.planted_snv),
    "structural_variants": TestDataset(f"~25x reads of a 50 kb genome, every sample homozygous for a 1 kb deletion "
                                       f"at {syn.DELETION[0]}:{syn.DELETION[1]}-{syn.DELETION[2]}",
                                       _per_sheet_row(_sv), truth.planted_deletion),
    "chipseq_peaks": TestDataset(_PEAK, _per_sheet_row(_chip), truth.planted_peak),
    "cutandrun": TestDataset(_PEAK, _per_sheet_row(_chip), truth.planted_peak),
    "atacseq": TestDataset(f"open chromatin around {syn.PEAK[0]}:{syn.PEAK[1]} in every sample",
                           _per_sheet_row(_atac), truth.planted_peak),
    "gwas": TestDataset(f"about 600 cases and controls from two populations (stratified), with planted QC failures "
                        f"and a duplicate sample, and one causal variant at {gw.CAUSAL}", _gwas,
                        truth.planted_association),
    "phasing_imputation": TestDataset(f"a phased panel of {si.PANEL_SAMPLES} samples and {si.TARGET_SAMPLES} held-out "
                                      f"samples typed at every {si.ARRAY_STEP}rd site of {sum(si.CHROMOSOMES.values())} "
                                      "(two chromosomes, founder-mosaic haplotypes in LD), with planted QC failures",
                                      _imputation, truth.planted_imputation),
    "amplicon_16s": TestDataset(f"2 samples of 16S V4 amplicons from {len(meta.TAXA)} planted sequence variants "
                                "(with their taxonomy) and a planted chimera", _amplicon, truth.planted_taxa),
    "cnv_calling": TestDataset(f"4 exomes on a synthetic capture kit: {cnv.DELETION_SAMPLE} with a heterozygous "
                               f"deletion of {', '.join(cnv.DELETED_GENES)}, {cnv.DUPLICATION_SAMPLE} with a "
                               f"duplication of {', '.join(cnv.DUPLICATED_GENES)}", _exomes, truth.planted_cnvs),
    "small_rnaseq": TestDataset(f"6 small RNA libraries (3 + 3) of {srr.MIR_COUNT} miRNAs with adapters and isomiRs; "
                                f"{srr.MIR_UP} {srr.FOLD}x higher in the second group", _small_rna,
                                truth.planted_de_mirna),
    "alternative_splicing": TestDataset(f"6 RNA-seq samples (3 + 3); the cassette exon of {sm.CASSETTE_GENE} is "
                                        "mostly included in the first group and mostly skipped in the second",
                                        _splicing, truth.planted_cassette_exon),
    "hic": TestDataset(f"one Hi-C library on the 50 kb genome: contacts decaying with distance, {hs.CONTACT_PAIRS} "
                       f"pairs planted between {hs.CONTACT[0][0]}:{hs.CONTACT[0][1]} and "
                       f"{hs.CONTACT[1][0]}:{hs.CONTACT[1][1]}, PCR duplicates and unmapped pairs", _hic,
                       truth.planted_contact),
    "pangenome": TestDataset(f"{len(pan.GENOMES)} bacterial assemblies with {pan.CORE_GENES} core and "
                             f"{len(pan.ACCESSORY)} accessory genes; isolate_1 and isolate_2 form a planted clade",
                             _assemblies, truth.planted_clade),
    "outbreak_phylogeny": TestDataset(f"{len(ob.ISOLATES)} bacterial isolates (~{ob.DEPTH}x reads) against the 50 kb "
                                      "genome: two planted clades, a transmission pair 1 SNP apart, a recombinant "
                                      "segment in isolate_6 and an uncovered region in isolate_5", _outbreak,
                                      truth.planted_outbreak),
}
