"""rag.tool_lookup: free-text tool mentions to library module ids, by name and through retrieval."""

from __future__ import annotations

import pytest

from biopipelines.library import load_library
from biopipelines.nodes.library_links.tool_lookup import lookup_tool, mention_text
from biopipelines.rag.embeddings import embedded_default
from biopipelines.rag.retriever import Retriever
from tests.unit.test_rag import suite_index_dir


@pytest.fixture(scope="module")
def library():
    return load_library()


@pytest.fixture(scope="module")
def retriever(pytestconfig, tmp_path_factory) -> Retriever:
    return Retriever.for_embeddings(embedded_default(), directory=suite_index_dir(pytestconfig, tmp_path_factory))


@pytest.mark.parametrize("mention, text", [
    ("use Bowtie2", "Bowtie2"),
    ("something like Kallisto", "Kallisto"),
    ("I want to use STAR.", "STAR"),
    ("an alternative to Trimmomatic", "Trimmomatic"),
    ("HISAT2", "HISAT2"),
])
def test_mention_text_drops_lead_ins(mention, text):
    assert mention_text(mention) == text


@pytest.mark.parametrize("mention, module", [
    ("use Bowtie2", "bowtie2_align"),       # the aligner, not its index: the index comes with it
    ("BWA", "bwa_mem"),
    ("please use the STAR aligner", "star_align"),
    ("go with hisat", "hisat2_align"),
    ("Subread", "featurecounts"),           # a strong alias
    ("salmon index", "salmon_index"),       # asking for an index gets the index
])
def test_named_tools_map_by_name(library, retriever, mention, module):
    matches = lookup_tool(mention, library, retriever)
    assert matches[0].module_id == module and matches[0].how == "name"
    assert matches[0].tool == library.modules[module].tool


def test_a_family_name_matches_only_its_own_modules(library, retriever):
    # samtools is installed by several aligner rules too; "use samtools" must not pick an aligner
    matches = lookup_tool("use samtools", library, retriever, k=10)
    assert matches and all(library.modules[m.module_id].family == "samtools" for m in matches)


@pytest.mark.parametrize("mention, expected, evidence", [
    ("something like Cell Ranger", "star_solo", "star_solo"),
    ("htseq-count", "featurecounts", "read-counting"),
    ("MACS2", "macs3_callpeak", "macs3_callpeak"),
])
def test_unknown_tools_find_the_module_doing_the_same_job(library, retriever, mention, expected, evidence):
    assert not library.tool_index.match(mention_text(mention)), "the test needs a tool the library lacks"
    matches = lookup_tool(mention, library, retriever)
    assert matches[0].module_id == expected and matches[0].how == "similar"
    assert evidence in matches[0].evidence
    assert [m.score for m in matches] == sorted((m.score for m in matches), reverse=True)


def test_limma_voom_points_at_the_de_modules(library, retriever):
    top_two = {m.module_id for m in lookup_tool("limma-voom", library, retriever)[:2]}
    assert top_two == {"deseq2", "edger"}


def test_a_tool_nobody_mentions_gives_nothing(library, retriever):
    assert lookup_tool("use FooBarTool", library, retriever) == []
    assert lookup_tool("   ", library, retriever) == []


def test_candidates_limit_the_answer(library, retriever):
    allowed = {"star_align", "hisat2_align"}
    matches = lookup_tool("something like Kallisto", library, retriever, candidates=allowed)
    assert {m.module_id for m in matches} <= allowed
    assert all(m.module_id in allowed for m in lookup_tool("use Bowtie2", library, retriever, candidates=allowed))
    assert lookup_tool("use Bowtie2", library, retriever, candidates=set()) == []


def test_resolve_requested_swaps_only_unknown_tools_and_says_so(library, retriever):
    from biopipelines.nodes.library_links.tool_lookup import resolve_requested

    result = resolve_requested(["Cell Ranger", "star", "step:trimming", "trimming", "FooBarTool"], library,
                               lambda: retriever)
    assert result.tools_requested == ["star_solo", "star", "step:trimming", "trimming", "FooBarTool"]
    assert len(result.notes) == 1
    assert result.notes[0].startswith("Cell Ranger is not in the module library; using STARsolo")
    assert "star_solo" in result.notes[0]
    # the swapped-in id is something the planner accepts as a tool name
    assert library.tool_index.match(result.tools_requested[0]) == {"star_solo"}


def test_resolve_requested_does_not_load_retrieval_for_known_names(library):
    from biopipelines.nodes.library_links.tool_lookup import resolve_requested

    def no_retriever():
        raise AssertionError("the retriever was loaded for names the library knows")

    assert resolve_requested(["STAR", "step:qc"], library, no_retriever).tools_requested == ["STAR", "step:qc"]
