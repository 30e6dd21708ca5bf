"""Library.plan: tool swaps, exclusions, read layout, organisms, sample sheets, follow-ups and honest refusals."""

from __future__ import annotations

import pytest

from biopipelines.core.schemas import Entities
from biopipelines.library import UnsupportedAnalysis, load_library
from biopipelines.library.render.snakemake import render_workflow


@pytest.fixture(scope="module")
def library():
    return load_library()


def modules(plan) -> dict[str, str]:
    return {s.step: s.module for s in plan.steps}


# -- tool swaps and forgiving names ------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["HISAT2", "hisat2", "hisat 2", "HISAT-2"])
def test_hisat2_swaps_star(library, name):
    plan = library.plan("rnaseq_de", Entities(tools_requested=[name]))
    steps = modules(plan)
    assert steps["align"] == "hisat2_align"
    assert "star_align" not in steps.values() and "star_index" not in steps.values()
    assert steps["ref_hisat2_index"] == "hisat2_index"  # its index is built by the workflow
    reason = next(s.reason for s in plan.steps if s.step == "align")
    assert "HISAT2" in reason and "STAR" in reason


@pytest.mark.parametrize(("recipe", "name", "step", "module"), [
    ("rnaseq_de", "featureCounts", "quantify", "featurecounts"),
    ("rnaseq_de", "subread", "quantify", "featurecounts"),
    ("rnaseq_de", "Salmon", "quantify", "salmon_quant"),
    ("rnaseq_de", "tximport", "quantify", "salmon_quant"),
    ("rnaseq_de", "edgeR", "de", "edger"),
    ("rnaseq_de", "DESeq 2", "de", "deseq2"),
    ("chipseq_peaks", "bowtie 2", "align", "bowtie2_align"),
    ("chipseq_peaks", "BWA-MEM", "align", "bwa_mem"),
    ("chipseq_peaks", "samtools markdup", "dedup", "samtools_markdup"),
    ("chipseq_peaks", "MarkDuplicates", "dedup", "picard_markduplicates"),
    ("germline_variants", "GATK", "call", "gatk_haplotypecaller"),
    ("germline_variants", "HaplotypeCaller", "call", "gatk_haplotypecaller"),
    ("germline_variants", "bcftools", "call", "bcftools_call"),
    ("germline_variants", "FreeBayes", "call", "freebayes"),
    ("germline_variants", "combine_gvcfs", "combine", "gatk_combinegvcfs"),
])
def test_tool_names_match_forgivingly(library, recipe, name, step, module):
    plan = library.plan(recipe, Entities(tools_requested=[name]))
    assert modules(plan)[step] == module
    assert "asked for" in next(s.reason for s in plan.steps if s.step == step)


def test_salmon_drops_the_alignment_step_and_says_so(library):
    plan = library.plan("rnaseq_de", Entities(tools_requested=["salmon"]))
    steps = modules(plan)
    assert "align" not in steps and steps["quantify"] == "salmon_quant" and steps["ref_salmon_index"] == "salmon_index"
    assert any("Salmon does not need it" in note for note in plan.notes)


def test_alternative_callers_drop_the_gatk_joint_genotyping_steps(library):
    steps = modules(library.plan("germline_variants", Entities(tools_requested=["freebayes"])))
    assert steps["call"] == "freebayes" and "combine" not in steps and "genotype" not in steps


def test_germline_sample_identity_checks_follow_each_caller(library):
    """Sex and relatedness read the final cohort VCF of every caller (not a per-sample or raw VCF); contamination
    reads the recalibrated BAM and goes with the GATK path (the bcftools/FreeBayes alternatives avoid GATK)."""
    cohort_vcf = {"gatk_haplotypecaller": "results/gatk_variantfiltration/cohort.filtered.vcf.gz",
                      "bcftools": "results/bcftools_call/cohort.vcf.gz", "freebayes": "results/freebayes/cohort.vcf"}
    for caller, vcf in cohort_vcf.items():
        plan = library.plan("germline_variants", Entities(organism="human", tools_requested=[caller]))
        steps = modules(plan)
        assert steps["sex_check"] == "plink_sex_check" and steps["relatedness"] == "plink2_relatedness"
        files = render_workflow(plan, library)
        for rule in ("plink_sex_check", "plink2_relatedness"):
            assert f'vcf="{vcf}"' in files[f"workflow/rules/{rule}.smk"], (caller, rule)
        assert ("contamination" in steps) == (caller == "gatk_haplotypecaller"), (caller, steps)
    files = render_workflow(library.plan("germline_variants", Entities(organism="human")), library)
    assert 'bam="results/gatk_bqsr/{sample}.bam"' in files["workflow/rules/gatk_sample_contamination.smk"]
    # the checks add no vcf or bam output: the stats step still reads the filtered cohort VCF
    assert "results/gatk_variantfiltration/cohort.filtered.vcf.gz" in files["workflow/rules/bcftools_stats.smk"]
    # exomes: contamination visits only the common sites on the capture targets
    exome = render_workflow(library.plan("germline_variants", Entities(organism="human", capture="exome")), library)
    assert "--interval-set-rule INTERSECTION" in exome["workflow/rules/gatk_sample_contamination.smk"]
    assert 'bed: "resources/targets.bed"' in exome["config/config.yaml"]


def test_the_sex_check_is_skipped_for_organisms_without_xy_chromosomes(library):
    """A step scoped to some organisms (recipe `organisms:`) is skipped, with a note, for another stated organism;
    an unstated organism keeps it."""
    for organism in ("arabidopsis", "Plasmodium falciparum"):
        plan = library.plan("germline_variants", Entities(organism=organism))
        steps = modules(plan)
        assert "sex_check" not in steps and steps["relatedness"] == "plink2_relatedness"
        assert any(note.startswith("Genetic sex against the sample sheet skipped (it applies to human, mouse, rat")
                   for note in plan.notes), plan.notes
    for organism in ("mouse", None):
        assert modules(library.plan("germline_variants", Entities(organism=organism)))["sex_check"] == "plink_sex_check"


def test_excluding_the_default_tool_takes_the_alternative(library):
    plan = library.plan("rnaseq_de", Entities(tools_excluded=["STAR"]))
    assert modules(plan)["align"] == "hisat2_align"
    assert "excluded STAR" in next(s.reason for s in plan.steps if s.step == "align")


# -- no trimming, single-end -------------------------------------------------------------------------------------

@pytest.mark.parametrize("excluded", [["step:trimming"], ["trimming"], ["fastp", "cutadapt", "trimmomatic"]])
def test_no_trimming_skips_fastp_and_aligns_raw_reads(library, excluded):
    plan = library.plan("rnaseq_de", Entities(tools_excluded=excluded))
    assert "trim" not in modules(plan) and "fastp" not in modules(plan).values()
    assert any("trimming skipped" in note for note in plan.notes)
    rule = render_workflow(plan, library)["workflow/rules/star_align.smk"]
    assert "r1=fastq_r1," in rule and "r2=fastq_r2," in rule  # straight from the sample sheet


def test_excluding_fastp_takes_another_trimmer(library):
    plan = library.plan("rnaseq_de", Entities(tools_excluded=["fastp"]))
    assert modules(plan)["trim"] == "cutadapt"
    assert "excluded fastp" in next(s.reason for s in plan.steps if s.step == "trim")


def test_trimming_cannot_be_both_excluded_and_a_required_step(library):
    with pytest.raises(UnsupportedAnalysis, match="cannot be skipped"):
        library.plan("chipseq_peaks", Entities(tools_excluded=["step:deduplication"]))


@pytest.mark.parametrize("recipe", ["rnaseq_de", "chipseq_peaks", "germline_variants"])
def test_single_end_plans_and_renders_without_mate_two(library, recipe):
    plan = library.plan(recipe, Entities(read_layout="single", sample_count=4))
    assert plan.read_layout == "single" and plan.config["read_layout"] == "single"
    assert all("fq2" not in row for row in plan.samples)
    files = render_workflow(plan, library)
    assert "fq2" not in files["config/samples.tsv"] and "fq2" not in files[".test/config/samples.tsv"]
    rules = "".join(v for k, v in files.items() if k.startswith("workflow/rules/"))
    assert "input.r2" not in rules and "fastq_r2" not in rules and "_R2" not in rules


def test_paired_end_is_the_stated_default(library):
    plan = library.plan("rnaseq_de", Entities())
    assert plan.read_layout == "paired"
    assert any("paired-end assumed" in note for note in plan.notes)


# -- honest refusals ---------------------------------------------------------------------------------------------

def test_a_type_without_recipe_is_refused_with_the_closest_recipe(library):
    with pytest.raises(UnsupportedAnalysis) as caught:
        library.plan("spatial_transcriptomics", Entities(organism="human"))
    assert caught.value.closest == "scrnaseq_10x"
    assert "no recipe" in caught.value.message
    for slug in library.recipes:
        assert slug in caught.value.message


def test_a_type_without_any_close_recipe_says_so(library):
    with pytest.raises(UnsupportedAnalysis) as caught:
        library.plan("crispr_screen", Entities())
    assert caught.value.closest is None
    assert "Supported analyses" in caught.value.message


def test_an_unknown_type_is_refused_with_a_guess(library):
    with pytest.raises(UnsupportedAnalysis) as caught:
        library.plan("somatic_variant", Entities())
    assert "somatic_variants" in caught.value.message and caught.value.closest == "somatic_variants"


def test_an_unknown_name_of_a_served_type_points_at_its_recipe(library):
    with pytest.raises(UnsupportedAnalysis) as caught:
        library.plan("atac_seq", Entities())
    assert "atacseq" in caught.value.message and caught.value.closest == "atacseq"


def test_unsupported_analysis_is_a_value_error():
    assert issubclass(UnsupportedAnalysis, ValueError)


@pytest.mark.parametrize(("recipe", "entities", "expected"), [
    ("rnaseq_de", Entities(tools_requested=["rsem"]), "no tool called 'rsem'"),
    ("rnaseq_de", Entities(tools_requested=["macs3"]), "not part of this workflow"),
    ("chipseq_peaks", Entities(tools_requested=["MACS2"]), "no tool called 'MACS2'"),
    ("germline_variants", Entities(tools_requested=["freebayes", "bcftools call"]), "runs one tool"),
    ("rnaseq_de", Entities(tools_requested=["salmon", "STAR"]), "cannot be combined with STAR"),
    ("rnaseq_de", Entities(tools_excluded=["STAR", "HISAT2"]), "excluded all of them"),
    ("germline_variants", Entities(tools_requested=["step:vqsr"]), "no vqsr step"),
])
def test_tools_the_recipe_cannot_use_are_refused(library, recipe, entities, expected):
    with pytest.raises(UnsupportedAnalysis) as caught:
        library.plan(recipe, entities)
    assert expected in caught.value.message
    assert caught.value.closest == recipe
    assert "can use:" in caught.value.message  # names what is supported


# -- organisms and references ------------------------------------------------------------------------------------

@pytest.mark.parametrize(("organism", "build", "annotation"), [
    ("human", "GRCh38", "GENCODE 46"),
    ("Homo sapiens", "GRCh38", "GENCODE 46"),
    ("mouse", "GRCm39", "GENCODE M35"),
    ("rat", "mRatBN7.2", "Ensembl 112"),
    ("zebrafish", "GRCz11", "Ensembl 112"),
    ("drosophila", "BDGP6.46", "Ensembl 112"),
    ("fly", "BDGP6.46", "Ensembl 112"),
    ("c_elegans", "WBcel235", "Ensembl 112"),
    ("yeast", "R64-1-1", "Ensembl 112"),
    ("arabidopsis", "TAIR10", "Ensembl Plants 59"),
])
def test_organism_sets_the_default_build_and_annotation(library, organism, build, annotation):
    plan = library.plan("rnaseq_de", Entities(organism=organism))
    assert plan.genome_build == build == plan.config["genome_build"]
    assert plan.config["annotation"].startswith(annotation)
    assert plan.config["reference"]["fasta"] == f"reference/{build}/genome.fa"
    assert any(f"defaulted to {build}" in note for note in plan.notes)


@pytest.mark.parametrize(("build", "annotation"), [("hg19", "GENCODE 19"), ("GRCm38", None), ("GRCh37", "GENCODE 19")])
def test_a_build_the_user_names_wins_and_keeps_its_spelling(library, build, annotation):
    organism = "mouse" if build.startswith("GRCm") else "human"
    plan = library.plan("rnaseq_de", Entities(organism=organism, genome_build=build))
    assert plan.genome_build == build
    if annotation:
        assert plan.config["annotation"].startswith(annotation)


def test_an_unknown_organism_gets_no_invented_reference(library):
    plan = library.plan("rnaseq_de", Entities(organism="axolotl"))
    assert plan.genome_build is None and plan.config["annotation"] is None
    assert any("axolotl" in note for note in plan.notes)


def test_macs3_genome_size_follows_the_organism(library):
    assert library.plan("chipseq_peaks", Entities(organism="mouse")).config["macs3_callpeak"]["gsize"] == "mm"
    assert library.plan("chipseq_peaks", Entities(organism="human")).config["macs3_callpeak"]["gsize"] == "hs"


# -- sample sheets and contrasts ---------------------------------------------------------------------------------

def test_conditions_become_replicates_and_the_contrast(library):
    plan = library.plan("rnaseq_de", Entities(sample_count=6, conditions=["knockout", "wild type"]))
    conditions = [row["condition"] for row in plan.samples]
    assert conditions.count("knockout") == 3 and conditions.count("wild_type") == 3
    assert plan.config["de"]["contrast"] == ["condition", "knockout", "wild_type"]  # wild type is the reference


def test_read_files_fill_the_sample_sheet(library):
    paths = [f"/data/run1/{s}_R{m}.fastq.gz" for s in ("KO_1", "KO_2", "WT_1", "WT_2") for m in (1, 2)]
    plan = library.plan("rnaseq_de", Entities(conditions=["KO", "WT"], input_paths=paths))
    assert [row["sample"] for row in plan.samples] == ["KO_1", "KO_2", "WT_1", "WT_2"]
    assert plan.samples[0]["fq1"] == "/data/run1/KO_1_R1.fastq.gz"
    assert plan.samples[0]["fq2"] == "/data/run1/KO_1_R2.fastq.gz"
    assert [row["condition"] for row in plan.samples] == ["KO", "KO", "WT", "WT"]


def test_chip_samples_are_paired_with_input_controls(library):
    plan = library.plan("chipseq_peaks", Entities(conditions=["H3K27me3"], sample_count=4))
    chips = [row for row in plan.samples if row["antibody"] == "H3K27me3"]
    inputs = {row["sample"] for row in plan.samples if row["antibody"] == "input"}
    assert len(chips) == 2 and len(inputs) == 2
    assert all(row["control"] in inputs for row in chips)
    assert "H3K27me3" in plan.config["macs3_callpeak"]["broad_marks"]  # called as broad peaks


def test_every_step_says_why(library):
    for recipe in library.recipes:
        for step in library.plan(recipe, Entities(organism="human")).steps:
            assert step.reason.strip(), step


def test_germline_reference_preparation_is_planned_in_dependency_order(library):
    steps = [s.module for s in library.plan("germline_variants", Entities(organism="human")).steps]
    for prep in ("reference_fasta", "samtools_faidx", "gatk_createsequencedictionary", "bwa_index"):
        assert prep in steps
    assert steps.index("reference_fasta") < steps.index("samtools_faidx")
    assert steps.index("reference_fasta") < steps.index("gatk_createsequencedictionary")
    assert steps.index("bwa_index") < steps.index("bwa_mem")


# -- follow-ups --------------------------------------------------------------------------------------------------

def test_a_follow_up_changes_one_thing_and_keeps_the_rest(library):
    first = library.plan("rnaseq_de", Entities(organism="mouse", sample_count=6, conditions=["KO", "WT"],
                                                strandedness="reverse", tools_requested=["edgeR"]))
    second = library.plan("rnaseq_de", Entities(tools_requested=["hisat2"]), previous=first)
    steps = modules(second)
    assert steps["align"] == "hisat2_align" and steps["de"] == "edger"
    assert second.samples == first.samples and second.organism == "mouse" and second.genome_build == "GRCm39"
    assert second.config["strandedness"] == "reverse"
    assert second.config["de"]["contrast"] == first.config["de"]["contrast"]


def test_a_follow_up_back_to_star_restores_alignment_based_counting(library):
    salmon = library.plan("rnaseq_de", Entities(tools_requested=["salmon"]))
    star = library.plan("rnaseq_de", Entities(tools_requested=["STAR"]), previous=salmon)
    assert modules(star)["align"] == "star_align" and modules(star)["quantify"] == "featurecounts"


def test_a_follow_up_to_single_end_drops_mate_two(library):
    first = library.plan("germline_variants", Entities(sample_count=2))
    second = library.plan("germline_variants", Entities(read_layout="single"), previous=first)
    assert second.read_layout == "single" and all("fq2" not in row for row in second.samples)
    assert [r["sample"] for r in second.samples] == [r["sample"] for r in first.samples]


# -- what other nodes call ---------------------------------------------------------------------------------------

def test_recipe_descriptions_and_step_facts(library):
    assert library.has_recipe("rnaseq_de") and not library.has_recipe("crispr_screen") and not library.has_recipe(None)
    text = library.describe_recipe("chipseq_peaks")
    assert "MACS3" in text and "BWA-MEM" in text and "[optional]" in text
    plan = library.plan("rnaseq_de", Entities())
    facts = [library.step_facts(step) for step in plan.steps]
    star = next(f for f in facts if f.module == "star_align")
    assert star.version == "2.7.11b" and star.doi == "10.1093/bioinformatics/bts635"
    assert all(f.doi or f.citation for f in facts)


def test_the_blacklist_note_names_the_builds_encode_list_or_says_there_is_none(library):
    def note(**entities) -> str:
        plan = library.plan("chipseq_peaks", Entities(**entities))
        return next(n for n in plan.notes if n.startswith("Set reference.blacklist"))

    assert "For GRCh38: lists/hg38-blacklist.v2.bed.gz of github.com/Boyle-Lab/Blacklist" in note(organism="human")
    assert "lists/mm10-blacklist.v2.bed.gz" in note(organism="mouse", genome_build="mm10")
    assert "remove the chr prefix" in note(organism="fly")  # UCSC names on an Ensembl genome
    assert "No ENCODE blacklist is published for GRCm39: an empty file" in note(organism="mouse")
    assert "No ENCODE blacklist is published for mRatBN7.2" in note(organism="rat")
