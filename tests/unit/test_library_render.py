"""render_workflow: the files, their wiring and their configuration (Snakemake itself runs in test_library.py)."""

from __future__ import annotations

import csv
import io

import jsonschema
import pytest
import yaml

from biopipelines.core.schemas import Entities
from biopipelines.library import load_library
from biopipelines.library.render.snakemake import full_config, render_workflow
from biopipelines.library.wiring import Wiring


@pytest.fixture(scope="module")
def library():
    return load_library()


def render(library, recipe, **entities):
    plan = library.plan(recipe, Entities(organism="human", **entities))
    return plan, render_workflow(plan, library)


@pytest.mark.parametrize("recipe", ["rnaseq_de", "chipseq_peaks", "germline_variants"])
def test_layout_of_the_rendered_workflow(library, recipe):
    plan, files = render(library, recipe)
    for path in ("workflow/Snakefile", "workflow/rules/common.smk", "config/config.yaml", "config/samples.tsv",
                 "profiles/slurm/config.yaml", ".test/config/config.yaml", ".test/config/samples.tsv",
                 "workflow/schemas/config.schema.yaml", "workflow/schemas/samples.schema.yaml"):
        assert path in files
    for step in plan.steps:
        assert f"workflow/rules/{step.module}.smk" in files
        assert files[f"workflow/envs/{step.module}.yaml"] == library.read_text(
            f"modules/{step.module}/environment.yaml")
        assert f'include: "rules/{step.module}.smk"' in files["workflow/Snakefile"]
    assert "README.md" not in files and "report.json" not in files  # the docs node writes those
    assert all(not p.startswith("/") and ".." not in p for p in files)


def test_config_holds_every_parameter_and_survives_its_comments(library):
    plan, files = render(library, "rnaseq_de", sample_count=4, conditions=["KO", "WT"])
    config = yaml.safe_load(files["config/config.yaml"])
    modules = [library.module(s.module) for s in plan.steps]
    assert config == full_config(plan, modules)
    for module in modules:
        for name in module.params:
            assert name in config[module.id]
            assert f'config["{module.id}"]["{name}"]' in files[f"workflow/rules/{module.id}.smk"] or \
                f"config['{module.id}']['{name}']" in files[f"workflow/rules/{module.id}.smk"]
    assert "# extra STAR arguments" in files["config/config.yaml"]
    assert config["de"]["contrast"] == ["condition", "KO", "WT"]


@pytest.mark.parametrize("recipe", ["rnaseq_de", "chipseq_peaks", "germline_variants"])
def test_config_and_samples_match_their_schemas(library, recipe):
    _, files = render(library, recipe)
    for prefix in ("", ".test/"):
        config = yaml.safe_load(files[f"{prefix}config/config.yaml"])
        jsonschema.validate(config, yaml.safe_load(files["workflow/schemas/config.schema.yaml"]))
        rows = list(csv.DictReader(io.StringIO(files[f"{prefix}config/samples.tsv"]), delimiter="\t"))
        for row in rows:
            jsonschema.validate(row, yaml.safe_load(files["workflow/schemas/samples.schema.yaml"]))
    bad = yaml.safe_load(files["config/config.yaml"]) | {"read_layout": "interleaved"}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, yaml.safe_load(files["workflow/schemas/config.schema.yaml"]))


def test_test_dataset_is_synthetic_and_empty(library):
    _, files = render(library, "germline_variants", sample_count=2)
    placeholders = {p: c for p, c in files.items() if p.startswith(".test/") and not p.startswith(".test/config/")}
    assert placeholders and all(content == "" for content in placeholders.values())
    assert ".test/data/sample_1_R1.fastq.gz" in placeholders and ".test/resources/genome.fa" in placeholders
    test_config = yaml.safe_load(files[".test/config/config.yaml"])
    assert test_config["reference"]["fasta"] == "resources/genome.fa"
    for row in csv.DictReader(io.StringIO(files[".test/config/samples.tsv"]), delimiter="\t"):
        assert f".test/{row['fq1']}" in placeholders and f".test/{row['fq2']}" in placeholders


def test_multiqc_collects_every_qc_log_of_the_plan(library):
    plan, files = render(library, "chipseq_peaks")
    rule = files["workflow/rules/multiqc.smk"]
    for step in plan.steps:
        module = library.module(step.module)
        for port in module.outputs:
            if port.type == "qc_log":
                assert f'"{port.path}"' in rule, f"{module.id}.{port.name} missing from MultiQC"
    assert "*expand(" in rule


def test_salmon_feeds_tximport_in_the_de_script(library):
    _, files = render(library, "rnaseq_de", tools_requested=["salmon"])
    rule = files["workflow/rules/deseq2.smk"]
    assert 'quant=expand("results/salmon_quant/{sample}/quant.sf", sample=get_samples())' in rule
    assert "counts=" not in rule
    assert "tximport(" in files["workflow/scripts/deseq2.R"]
    assert "--gencode" in yaml.safe_load(files["config/config.yaml"])["salmon_index"]["extra"]  # GENCODE headers


def test_chip_peaks_use_the_matched_control_and_treatment_samples(library):
    _, files = render(library, "chipseq_peaks")
    rule = files["workflow/rules/macs3_callpeak.smk"]
    assert 'control=control_of("results/picard_markduplicates/{sample}.bam")' in rule
    assert "-f BAMPE" in rule
    # the per-ChIP peaks are gathered over the ChIP samples only (by the consensus step and, through FRiP, MultiQC)
    assert "sample=get_treatment_samples()" in files["workflow/rules/chip_consensus.smk"]
    assert "sample=get_treatment_samples()" in files["workflow/rules/multiqc.smk"]
    assert "def control_of(pattern):" in files["workflow/rules/common.smk"]
    _, single = render(library, "chipseq_peaks", read_layout="single")
    assert "-f BAM " in single["workflow/rules/macs3_callpeak.smk"]



def test_treatment_sample_steps_run_on_every_sample_where_the_design_has_no_controls(library):
    """The blacklist filter and FRiP run on the ChIP samples of a ChIP design, and on every sample of ATAC-seq's
    cohort design, whose common.smk has no get_treatment_samples()."""
    _, chip = render(library, "chipseq_peaks")
    assert "sample=get_treatment_samples()" in chip["workflow/rules/chip_consensus.smk"]
    assert 'peaks="results/bedtools_blacklist/{sample}.peaks.bed"' in chip["workflow/rules/chip_frip.smk"]
    _, atac = render(library, "atacseq")
    assert "get_treatment_samples" not in "".join(atac[f] for f in atac if f.startswith("workflow/"))
    assert 'expand("results/chip_frip/{sample}.frip_mqc.tsv", sample=get_samples())' in \
        atac["workflow/rules/multiqc.smk"]
    assert 'peaks="results/macs3_atac/{sample}/{sample}.peaks.bed"' in atac["workflow/rules/bedtools_blacklist.smk"]

def test_joint_genotyping_reads_genomicsdb_or_a_combined_gvcf(library):
    _, gdb = render(library, "germline_variants")
    assert "-V gendb://{input.cohort}" in gdb["workflow/rules/gatk_genotypegvcfs.smk"]
    _, combined = render(library, "germline_variants", tools_requested=["CombineGVCFs"])
    rule = combined["workflow/rules/gatk_genotypegvcfs.smk"]
    assert "gendb://" not in rule and "-V {input.cohort}" in rule


def test_bwa_adds_a_read_group_per_sample(library):
    _, files = render(library, "germline_variants")
    rule = files["workflow/rules/bwa_mem.smk"]
    assert "-R '{params.read_group}'" in rule
    assert "SM:{wildcards.sample}" in rule


def test_gatk_uses_the_workflow_copy_of_the_reference_with_its_indexes(library):
    plan, files = render(library, "germline_variants")
    rule = files["workflow/rules/gatk_haplotypecaller.smk"]
    assert 'fasta="resources/reference/genome.fa"' in rule
    assert 'fai="resources/reference/genome.fa.fai"' in rule and 'dict="resources/reference/genome.dict"' in rule
    # everything indexes the same FASTA, so the .fai and .dict sit beside the file GATK reads
    assert 'fasta="resources/reference/genome.fa"' in files["workflow/rules/bwa_index.smk"]


def test_every_required_input_is_wired(library):
    for recipe in library.recipes:
        plan = library.plan(recipe, Entities())
        wiring = Wiring([library.module(s.module) for s in plan.steps], library.types, plan.read_layout)
        assert wiring.missing() == []


def test_slurm_profile_lists_every_rule(library):
    plan, files = render(library, "rnaseq_de")
    profile = yaml.safe_load(files["profiles/slurm/config.yaml"])
    assert profile["executor"] == "slurm" and profile["software-deployment-method"] == "conda"
    for step in plan.steps:
        module = library.module(step.module)
        assert profile["set-resources"][module.id] == {"mem_mb": module.resources.mem_mb,
                                                       "runtime": module.resources.runtime}
        assert profile["set-threads"][module.id] == module.threads
