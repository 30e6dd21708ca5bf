"""The REPL's diff of what changed between turns: the pure plan diff, and ChatSession printing it."""

from __future__ import annotations

import io

import pytest

from biopipelines.core.schemas import Entities
from biopipelines.graph.plan_diff import plan_diff
from biopipelines.library import load_library


@pytest.fixture(scope="module")
def plans():
    library = load_library()
    first = library.plan("rnaseq_de", Entities(organism="mouse", read_layout="paired", tools_requested=["star"],
                                               sample_count=6, conditions=["knockout", "wild_type"]))
    salmon_single = library.plan("rnaseq_de", Entities(tools_requested=["salmon"], read_layout="single"), first)
    contrast = library.plan("rnaseq_de", Entities(conditions=["treated", "control"]), salmon_single)
    chip = library.plan("chipseq_peaks", Entities(organism="mouse"))
    return first, salmon_single, contrast, chip


def test_tool_and_layout_changes(plans) -> None:
    first, salmon_single, _, _ = plans
    lines = plan_diff(first, salmon_single)
    assert "~ quantify: featureCounts -> Salmon" in lines
    assert "- align: STAR" in lines
    assert "+ ref_salmon_index: Salmon" in lines
    assert "~ read layout: paired -> single" in lines
    assert not any("contrast" in line or "organism" in line for line in lines)


def test_contrast_and_sample_changes(plans) -> None:
    _, salmon_single, contrast, _ = plans
    assert plan_diff(salmon_single, contrast) == [
        "~ contrast: knockout vs wild_type -> treated vs control",
        "~ samples: 3 knockout, 3 wild_type -> 3 treated, 3 control"]


def test_same_plan_and_new_workflow(plans) -> None:
    first, _, _, chip = plans
    assert plan_diff(first, first) == []
    assert plan_diff(first, chip)[0].startswith("new workflow: Bulk RNA-seq")


def test_chat_session_prints_the_diff_after_a_follow_up(tmp_path) -> None:
    from biopipelines.graph.repl import ChatSession
    from biopipelines.core.settings import load_settings

    out = io.StringIO()
    session = ChatSession(load_settings("offline"), tmp_path / "threads.sqlite", None, out=out)
    try:
        session.ask("RNA-seq differential expression for mouse liver, 3 knockout vs 3 wild type, paired-end, "
                    "STAR and DESeq2")
        assert "changes to the previous workflow" not in out.getvalue()  # a first turn has nothing to compare
        mark = len(out.getvalue())
        session.ask("use HISAT2 instead of STAR")
    finally:
        session.close()
    second = out.getvalue()[mark:]
    assert "changes to the previous workflow:" in second
    assert "~ align: STAR -> HISAT2" in second
    assert "[validated]" in second
