"""Entities a request gives reach the workflow (issue 17 part 2): capture -> targets, histone mark -> antibody and
peak shape, batch -> design formula and sheet column, clusters/markers -> delivered asks; what cannot be honoured
is noted as not done."""

from __future__ import annotations

import pytest

from biopipelines.core.schemas import Entities, WorkflowPlan
from biopipelines.library import load_library
from biopipelines.library.render.snakemake import render_workflow
from biopipelines.nodes.offline.asks import coverage, read_asks
from biopipelines.nodes.offline.entities import extract_entities


@pytest.fixture(scope="module")
def library():
    return load_library()


@pytest.mark.parametrize("text,capture", [
    ("GATK germline calling for 4 human exomes", "exome"),
    ("WES of 12 trios, HaplotypeCaller", "exome"),
    ("variant calling on a targeted gene panel", "panel"),
    ("whole-genome germline calling, 30x", None),
])
def test_capture_is_read_from_the_request(text, capture):
    assert extract_entities(text).capture == capture


def test_batch_and_histone_mark_are_read():
    assert extract_entities("DESeq2 KO vs WT, samples sequenced in two batches").covariates == ["batch"]
    assert extract_entities("DESeq2 KO vs WT").covariates == []
    assert extract_entities("ChIP-seq for H3K27ac in mouse liver").histone_mark == "H3K27ac"


def test_histone_mark_fills_the_antibody_column(library):
    plan = library.plan("chipseq_peaks", Entities(organism="mouse", histone_mark="H3K27ac", sample_count=4))
    antibodies = {row["antibody"] for row in plan.samples}
    assert antibodies == {"H3K27ac", "input"}
    assert not any("target was not given" in note for note in plan.notes)


def test_exome_restricts_calling_to_targets_and_a_given_bed_wins(library):
    plan = library.plan("germline_variants", Entities(organism="human", capture="exome"))
    assert plan.config["targets"]["bed"] == "resources/targets.bed"
    assert any("target BED" in note for note in plan.notes)
    given = library.plan("germline_variants", Entities(organism="human", capture="exome",
                                                       input_paths=["/data/kits/agilent_v7.bed"]))
    assert given.config["targets"]["bed"] == "/data/kits/agilent_v7.bed"
    genome = library.plan("germline_variants", Entities(organism="human"))
    assert genome.config["targets"]["bed"] == ""


def test_capture_a_recipe_cannot_honour_is_noted_as_not_done(library):
    plan = library.plan("somatic_variants", Entities(organism="human", capture="exome"))
    assert any("not done" in note and "exome" in note for note in plan.notes)


def test_batch_enters_the_design_and_the_sheet(library):
    plan = library.plan("rnaseq_de", Entities(organism="human", covariates=["batch"], conditions=["KO", "WT"],
                                              sample_count=6))
    assert plan.config["de"]["design"] == "~ batch + condition"
    files = render_workflow(plan, library)
    header, *rows = files["config/samples.tsv"].splitlines()
    assert header.split("\t")[:3] == ["sample", "condition", "batch"]
    assert {row.split("\t")[2] for row in rows} == {"batch1", "batch2"}
    assert "batch" in files["workflow/schemas/samples.schema.yaml"]


def test_batch_without_a_design_is_noted_as_not_done(library):
    plan = library.plan("chipseq_peaks", Entities(organism="human", covariates=["batch"]))
    assert any("not done" in note and "batch" in note for note in plan.notes)


def test_clusters_and_markers_are_delivered_by_scanpy_cluster(library):
    plan: WorkflowPlan = library.plan("scrnaseq_10x", Entities(organism="human"))
    asks = read_asks("10x scRNA-seq of PBMCs: clustering and marker genes", "scrnaseq_10x")
    covered = {c.ask: c.covered_by for c in coverage(asks, plan, library)}
    assert covered["cell_clusters"] == ["cluster"] and covered["marker_genes"] == ["cluster"]


@pytest.mark.parametrize("text,preset,extra", [
    ("PacBio Iso-Seq of maize endosperm, novel isoforms", "splice:hq", "--secondary=no --MD"),
    ("Nanopore direct RNA from zebrafish embryos: transcript isoforms", "splice", "-uf -k14 --secondary=no --MD"),
    ("ONT cDNA from human neurons, isoform discovery", "splice", "--secondary=no --MD"),
])
def test_long_read_platform_sets_the_spliced_aligner(library, text, preset, extra):
    """Iso-Seq reads align with splice:hq, direct RNA reads sense-stranded with -k14; the note says so."""
    plan = library.plan("longread_isoforms", extract_entities(text))
    assert (plan.config["minimap2_splice"]["preset"], plan.config["minimap2_splice"]["extra"]) == (preset, extra)
    assert (preset != "splice" or extra.startswith("-uf")) == any("minimap2_splice" in n for n in plan.notes)


@pytest.mark.parametrize("text,expected", [
    ("Copy-number variant calling with CNVkit in 4 human exomes", set()),
    ("structural variant calls from 30x genomes", {"structural_variant_calls"}),
    ("Germline variant calling in 3 exomes", {"variant_calls"}),
    ("call copy number variants from the exomes, and SNVs too", {"variant_calls"}),
])
def test_copy_number_and_structural_variant_calling_is_not_an_ask_for_small_variants(text, expected):
    """'variant calling' after 'copy-number' or 'structural' names the assay's own calls: a CNVkit request read as
    asking for SNVs and indels was reported partial."""
    assert {a.id for a in read_asks(text)} & {"variant_calls", "structural_variant_calls"} == expected
