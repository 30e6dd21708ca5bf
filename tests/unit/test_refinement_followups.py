"""Follow-ups modify the thread's last plan: resolution in the intent node, and the library's re-planning."""

from __future__ import annotations

import pytest

from biopipelines.core.schemas import Entities, IntentResult
from biopipelines.library import load_library
from biopipelines.nodes.intent import reply_for, resolve_follow_up


@pytest.fixture(scope="module")
def library():
    return load_library()


@pytest.fixture(scope="module")
def first_plan(library):
    entities = Entities(organism="mouse", read_layout="paired", tools_requested=["star", "deseq2"], sample_count=6,
                        conditions=["knockout", "wild_type"])
    return library.plan("rnaseq_de", entities)


# -- the intent node ties follow-ups to the plan -------------------------------------------------------------------

def test_a_follow_up_without_assay_modifies_the_threads_plan(first_plan) -> None:
    reading = IntentResult(intent="modify_workflow", confidence=0.99, entities=Entities(read_layout="single"),
                           needs_clarification=True, clarifying_question="Which assay?")
    resolved = resolve_follow_up(reading, first_plan)
    assert (resolved.intent, resolved.analysis_type) == ("modify_workflow", "rnaseq_de")
    assert not resolved.needs_clarification and resolved.clarifying_question is None
    assert reply_for(resolved) == {}  # goes on to the planner, no question asked


def test_a_vague_request_that_changes_a_detail_is_a_follow_up(first_plan) -> None:
    reading = IntentResult(intent="generate_workflow", confidence=0.4,
                           entities=Entities(conditions=["treated", "control"]), needs_clarification=True,
                           clarifying_question="Which assay?")
    assert resolve_follow_up(reading, first_plan).intent == "modify_workflow"


def test_without_a_plan_a_follow_up_is_a_new_request_and_vague_ones_still_ask() -> None:
    reading = IntentResult(intent="modify_workflow", confidence=0.9, entities=Entities(read_layout="single"))
    assert resolve_follow_up(reading, None).intent == "generate_workflow"
    vague = IntentResult(intent="generate_workflow", confidence=0.5, needs_clarification=True,
                         clarifying_question="Which assay, and which organism?")
    assert reply_for(resolve_follow_up(vague, None))["status"] == "needs_clarification"


def test_analyze_my_data_after_a_plan_still_asks(first_plan) -> None:
    """Nothing in it changes the plan, so it is not read as a follow-up: it asks which assay."""
    vague = IntentResult(intent="generate_workflow", confidence=0.5, needs_clarification=True,
                         clarifying_question="Which assay?")
    assert resolve_follow_up(vague, first_plan) == vague


def test_a_new_analysis_type_is_not_forced_onto_the_plan(first_plan) -> None:
    reading = IntentResult(intent="generate_workflow", analysis_type="chipseq_peaks", confidence=0.95)
    assert resolve_follow_up(reading, first_plan) == reading


# -- the library re-plans from the previous plan --------------------------------------------------------------------

def test_contrast_between_existing_levels_keeps_the_sheet_in_the_users_order(library, first_plan) -> None:
    plan = library.plan("rnaseq_de", Entities(conditions=["wild_type", "knockout"]), first_plan)
    assert plan.config["de"]["contrast"] == ["condition", "wild_type", "knockout"]
    assert plan.samples == first_plan.samples
    assert any("Contrast changed" in note for note in plan.notes)


def test_contrast_with_new_condition_names_rebuilds_the_sheet_with_the_same_size(library, first_plan) -> None:
    plan = library.plan("rnaseq_de", Entities(conditions=["treated", "control"]), first_plan)
    assert plan.config["de"]["contrast"] == ["condition", "treated", "control"]
    assert sorted(r["condition"] for r in plan.samples) == ["control"] * 3 + ["treated"] * 3
    assert [s.tool for s in plan.steps] == [s.tool for s in first_plan.steps]  # nothing else changes
    assert plan.read_layout == "paired" and plan.organism == "mouse"


def test_layout_aligner_and_trimming_follow_ups_keep_the_rest(library, first_plan) -> None:
    single = library.plan("rnaseq_de", Entities(read_layout="single"), first_plan)
    assert single.read_layout == "single" and all("fq2" not in row for row in single.samples)
    assert single.config["de"]["contrast"] == first_plan.config["de"]["contrast"]

    salmon = library.plan("rnaseq_de", Entities(tools_requested=["salmon"]), single)
    tools = [s.tool for s in salmon.steps]
    assert "Salmon" in tools and "STAR" not in tools and salmon.read_layout == "single"

    untrimmed = library.plan("rnaseq_de", Entities(tools_excluded=["step:trimming"]), first_plan)
    retrimmed = library.plan("rnaseq_de", Entities(tools_requested=["step:trimming"]), untrimmed)
    assert "fastp" not in [s.tool for s in untrimmed.steps]
    assert "fastp" in [s.tool for s in retrimmed.steps]


def test_new_data_for_another_organism_is_not_forced_onto_the_plan(first_plan) -> None:
    vague = IntentResult(intent="generate_workflow", confidence=0.5, entities=Entities(organism="zebrafish"),
                         needs_clarification=True, clarifying_question="Which assay?")
    assert resolve_follow_up(vague, first_plan) == vague
