"""config.yaml's snpeff.database follows the organism and build (references.yaml `snpeff_db`), is kept across a
follow-up of the same build, and is left for the user to set, with a note, where SnpEff has no database the library
knows. The annotate step is off by default and reads the bcftools/FreeBayes VCF when they replace GATK."""

from __future__ import annotations

import pytest

from biopipelines.core.schemas import Entities
from biopipelines.library import load_library
from biopipelines.library.render.snakemake import render_workflow


@pytest.fixture(scope="module")
def library():
    return load_library()


@pytest.mark.parametrize("organism,build,database", [
    ("human", None, "GRCh38.105"), ("human", "hg19", "hg19"), ("human", "GRCh37", "GRCh37.87"),
    ("mouse", None, "GRCm39.105"), ("mouse", "mm10", "mm10"), ("zebrafish", None, "GRCz11.105")])
def test_the_database_follows_the_build(library, organism, build, database):
    plan = library.plan("germline_variants", Entities(organism=organism, genome_build=build,
                                                      tools_requested=["snpeff"]))
    assert plan.config["snpeff"] == {"database": database}
    assert not [n for n in plan.notes if "SnpEff" in n]


def test_no_known_database_leaves_a_note(library):
    plan = library.plan("germline_variants", Entities(organism="human", genome_build="T2T-CHM13",
                                                      tools_requested=["snpeff"]))
    assert plan.config["snpeff"] == {"database": ""}
    assert any("snpeff.database" in n for n in plan.notes)


def test_a_follow_up_keeps_the_database_the_user_set(library):
    first = library.plan("germline_variants", Entities(organism="human", tools_requested=["snpeff"]))
    first.config["snpeff"]["database"] = "GRCh38.99"
    again = library.plan("germline_variants", Entities(organism="human", tools_requested=["freebayes"]), first)
    assert again.config["snpeff"] == {"database": "GRCh38.99"}


@pytest.mark.parametrize("caller,vcf", [
    ("gatk_variantfiltration", "results/gatk_variantfiltration/cohort.filtered.vcf.gz"),
    ("bcftools_call", "results/bcftools_call/"), ("freebayes", "results/freebayes/")])
def test_annotate_is_on_where_the_build_has_a_database_and_reads_the_final_vcf(library, caller, vcf):
    """On by default for a build with a SnpEff database; off, with a note, for one without (TAIR10) unless asked
    for, when it stays on with an empty database name to set."""
    tools = [] if caller == "gatk_variantfiltration" else [caller]
    default = library.plan("germline_variants", Entities(organism="human", tools_requested=tools))
    modules = [s.module for s in default.steps]
    assert modules.index("snpeff_annotate") > modules.index(caller)
    assert default.config["snpeff"] == {"database": "GRCh38.105"}
    rule = render_workflow(default, library)["workflow/rules/snpeff_annotate.smk"]
    assert f'vcf="{vcf}' in rule
    plant = library.plan("germline_variants", Entities(organism="arabidopsis", tools_requested=tools))
    assert "snpeff_annotate" not in [s.module for s in plant.steps] and "snpeff" not in plant.config
    assert any("no prebuilt SnpEff database is known for TAIR10" in note for note in plant.notes)
    asked = library.plan("germline_variants", Entities(organism="arabidopsis", tools_requested=[*tools, "snpeff"]))
    assert "snpeff_annotate" in [s.module for s in asked.steps] and asked.config["snpeff"] == {"database": ""}
