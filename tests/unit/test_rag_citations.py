"""Offline expert answers quote their sources: every cited card really contains what is attributed to it."""

from __future__ import annotations

import re

import pytest

from biopipelines.nodes.offline.bio_expert import answer_biology
from biopipelines.rag.corpus import load_corpus
from biopipelines.rag.embeddings import embedded_default
from biopipelines.rag.retriever import Retriever
from tests.unit.test_rag import suite_index_dir

# (question, the claim's key term: a word the answer must contain and the card it is attributed to must contain)
QUESTIONS = [
    ("I have a single exome: should I use VQSR or hard filters?", "VQSR"),
    ("Why shrink log2 fold changes with apeglm?", "apeglm"),
    ("How does the Benjamini-Hochberg procedure control the false discovery rate?", "false discovery"),
    ("Why shift ATAC-seq reads for the Tn5 insertion?", "Tn5"),
    ("What do the SM and LB fields of a read group mean?", "SM"),
    ("Should I use Salmon or kallisto instead of aligning to the genome?", "Salmon"),
    ("What are ERCC spike-ins good for?", "ERCC"),
    ("How do UMI-tools collapse PCR duplicates?", "UMI"),
]
_PARAGRAPH = re.compile(r"^\[(?P<title>[^\]]+)\] (?P<text>.*)$", re.DOTALL)


@pytest.fixture(scope="module")
def retriever(pytestconfig, tmp_path_factory) -> Retriever:
    return Retriever.for_embeddings(embedded_default(), directory=suite_index_dir(pytestconfig, tmp_path_factory))


@pytest.fixture(scope="module")
def corpus():
    return load_corpus()


def _flat(text: str) -> str:
    return " ".join(text.split())


def attributed(answer) -> list[tuple[str, str]]:
    """(cited card id, the text the answer attributes to it): one '[Title] ...' paragraph per cited card."""
    by_title = {c.title: c.card for c in answer.citations}
    pairs = []
    for paragraph in answer.answer.split("\n\n"):
        match = _PARAGRAPH.match(paragraph.strip())
        assert match and match.group("title") in by_title, f"paragraph without a cited card: {paragraph[:80]!r}"
        pairs.append((by_title[match.group("title")], match.group("text")))
    return pairs


@pytest.mark.parametrize("question, key_term", QUESTIONS)
def test_cited_card_contains_the_claims_key_term(retriever, corpus, question, key_term):
    answer = answer_biology(question, retriever)
    assert answer.citations, f"no sources for {question!r}: {answer.answer}"
    pairs = attributed(answer)
    assert {card for card, _ in pairs} == {c.card for c in answer.citations}  # every citation is used, and only those
    carrying = [card for card, text in pairs if key_term in text]
    assert carrying, f"the answer never states the key term {key_term!r}: {answer.answer}"
    for card_id in carrying:
        assert key_term in corpus.card(card_id).body, f"{card_id} is cited for {key_term!r} but does not contain it"


@pytest.mark.parametrize("question, _", QUESTIONS)
def test_every_quoted_sentence_is_verbatim_in_its_cited_card(retriever, corpus, question, _):
    answer = answer_biology(question, retriever)
    for card_id, text in attributed(answer):
        body = _flat(corpus.card(card_id).body)
        assert _flat(text) in body or all(_flat(part) in body for part in re.split(r"(?<=[.!?]) ", text)), (
            f"text attributed to {card_id} is not in it: {text[:120]!r}")


def test_an_off_topic_question_cites_nothing(retriever):
    answer = answer_biology("What is a good recipe for banana bread?", retriever)
    assert answer.citations == [] and "could not find" in answer.answer


# -- citations in the generated README -----------------------------------------------------------------------------

def _plan(library, recipe: str):
    from biopipelines.core.schemas import Entities

    return library.plan(recipe, Entities())


def test_readme_cites_method_notes_about_the_workflows_tools(corpus):
    from biopipelines.library import load_library
    from biopipelines.nodes.docs import method_notes, render_readme

    library = load_library()
    plan = _plan(library, "rnaseq_de")
    notes = method_notes(plan, library)
    assert notes and {"de-tool-choice", "read-counting"} <= {n.card_id for n in notes}
    tools = {s.tool for s in plan.steps}
    for note in notes:
        card = corpus.card(note.card_id)
        assert note.title == card.title and note.doi == card.doi
        # a note is cited only for tools the workflow runs, and only if it is tagged with one of them
        assert set(note.tools) <= tools
    readme = render_readme("RNA-seq DE", plan, "overview", [], [], 1, ["README.md"], notes)
    section = readme.split("## Method notes", 1)[1]
    for note in notes:
        assert f"`{note.path}`" in section and note.title in section
        assert (corpus.card(note.card_id).source).endswith(note.path)


def test_chipseq_readme_gets_chipseq_notes_by_topic():
    from biopipelines.library import load_library
    from biopipelines.nodes.docs import method_notes

    library = load_library()
    ids = {n.card_id for n in method_notes(_plan(library, "chipseq_peaks"), library)}
    assert "dna-aligners" in ids  # tagged bowtie2
    assert ids & {"chipseq-input-controls", "chipseq-peak-shapes", "idr-reproducibility"}  # tagged chipseq
