"""The offline experts: real statistics checked against hand calculations, question parsing, and grounded answers."""

from __future__ import annotations

import math
import re
from statistics import NormalDist

import pytest

from biopipelines.nodes.offline import stats
from biopipelines.nodes.offline.bio_expert import answer_biology
from biopipelines.nodes.offline.math_expert import POWER_CARD, answer_statistics, parse_question
from biopipelines.rag.corpus import load_corpus
from biopipelines.rag.embeddings import embedded_default
from biopipelines.rag.retriever import Retriever
from biopipelines.rag.tokens import split_sentences
from tests.unit.test_rag import suite_index_dir

# Standard normal quantiles from printed tables, so the tests do not reuse the code's own scipy calls.
Z_975, Z_80, Z_90 = 1.959964, 0.841621, 1.281552
LN2 = 0.693147


@pytest.fixture(scope="session")
def retriever(pytestconfig, tmp_path_factory) -> Retriever:
    # The same directory as test_rag's fixture, so one pytest session embeds the corpus at most once.
    return Retriever.for_embeddings(embedded_default(), directory=suite_index_dir(pytestconfig, tmp_path_factory))


@pytest.fixture(scope="session")
def corpus():
    return load_corpus()


# -- statistics against hand calculations ------------------------------------------------------------------------

def test_hart_sample_size_matches_the_formula_by_hand():
    by_hand = 2 * (Z_975 + Z_80) ** 2 * (1 / 20 + 0.4**2) / LN2**2  # = 6.861
    assert stats.hart_n_per_group(2.0, 20, 0.4, alpha=0.05, power=0.8) == pytest.approx(by_hand, rel=1e-5)
    assert by_hand == pytest.approx(6.861, abs=1e-3)


def test_hart_example_from_the_paper_recovers_90_percent_power():
    # Hart et al. eq. 6 as reproduced in the FDRsamplesize2 documentation: CV 0.6, depth 20, 2-fold, 90% power.
    n = 2 * (Z_975 + Z_90) ** 2 * (1 / 20 + 0.6**2) / LN2**2
    assert stats.hart_n_per_group(2.0, 20, 0.6, 0.05, 0.9) == pytest.approx(n, rel=1e-5)
    assert stats.hart_power(n, 2.0, 20, 0.6, 0.05) == pytest.approx(0.9, abs=1e-6)


def test_hart_power_and_detectable_fold_change_by_hand():
    # n = 3, CV 0.4, mu 20: z = sqrt(3 ln2^2 / (2 x 0.21)) - 1.96 = -0.1075, Phi(-0.1075) = 0.4572
    assert stats.hart_power(3, 2.0, 20, 0.4) == pytest.approx(0.4572, abs=1e-3)
    fc = stats.hart_detectable_fold_change(3, 20, 0.4)
    assert fc == pytest.approx(math.exp((Z_975 + Z_80) * math.sqrt(2 * 0.21 / 3)), rel=1e-5)
    assert stats.hart_n_per_group(fc, 20, 0.4) == pytest.approx(3.0, rel=1e-9)  # the two formulas are inverses


def test_a_decrease_is_as_detectable_as_the_same_increase():
    assert stats.hart_n_per_group(0.5, 20, 0.4) == pytest.approx(stats.hart_n_per_group(2.0, 20, 0.4))


def test_depth_matters_less_than_biological_variation():
    shallow, deep = stats.hart_n_per_group(2, 10, 0.4), stats.hart_n_per_group(2, 1000, 0.4)
    assert deep < shallow and deep == pytest.approx(2 * (Z_975 + Z_80) ** 2 * (0.001 + 0.16) / LN2**2, rel=1e-5)


@pytest.mark.parametrize("d, n", [(0.5, 64), (0.8, 26), (1.0, 17)])
def test_ttest_sample_sizes_match_published_tables(d, n):
    # Two-sided alpha 0.05, 80% power: Cohen (1988) / G*Power give 64, 26 and 17 per group.
    assert stats.ttest_n_per_group(d, 0.05, 0.8) == n
    assert stats.ttest_power(d, n) >= 0.8 > stats.ttest_power(d, n - 1)


def test_ttest_power_is_alpha_without_an_effect_and_detectable_effect_inverts_power():
    assert stats.ttest_power(0.0, 10, 0.05) == pytest.approx(0.05, abs=1e-9)
    d = stats.ttest_detectable_effect(10, 0.05, 0.8)
    assert stats.ttest_power(d, 10, 0.05) == pytest.approx(0.8, abs=1e-6)
    assert 1.2 < d < 1.4


def test_multiple_testing_hints():
    assert stats.bonferroni_alpha(0.05, 20_000) == pytest.approx(2.5e-6)
    # Jung 2005: 1000 x 0.8 x 0.05 / (19000 x 0.95)
    assert stats.bh_per_test_alpha(0.05, 20_000, 1_000, 0.8) == pytest.approx(40 / 18_050)


@pytest.mark.parametrize("call", [
    lambda: stats.hart_n_per_group(1.0, 20, 0.4),
    lambda: stats.hart_n_per_group(2.0, 0, 0.4),
    lambda: stats.hart_n_per_group(2.0, 20, 0.4, power=1.2),
    lambda: stats.ttest_n_per_group(0.0),
    lambda: stats.bh_per_test_alpha(0.05, 100, 100, 0.8),
])
def test_impossible_inputs_raise(call):
    with pytest.raises(ValueError):
        call()


# -- the math expert's parsing ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("question, expected", [
    ("How many replicates for 80% power to detect a 2-fold change?",
     {"power": 0.8, "fold_change": 2.0, "goal": "sample_size", "test": "rnaseq"}),
    ("sample size at FDR 0.05, CV 0.4, 20M reads, 1.5 fold change", {"fdr": 0.05, "cv": 0.4, "total_reads": 20e6,
                                                                      "fold_change": 1.5}),
    ("power with n=3 per group, alpha 0.01, CV of 30%", {"n_per_group": 3, "alpha": 0.01, "cv": 0.3, "goal": "power"}),
    ("3 knockout vs 3 wild type mice, what power for a log2 fold change of 1?",
     {"n_per_group": 3, "fold_change": 2.0, "goal": "power", "sample_type": "in_vivo"}),
    ("What is the smallest fold change I can detect with four replicates of a cell line?",
     {"n_per_group": 4, "goal": "detectable_effect", "sample_type": "cell_line"}),
    ("5% FDR over 15,000 genes with 300 DE genes, mean count 50", {"fdr": 0.05, "genes": 15_000, "de_genes": 300,
                                                                    "mean_count": 50.0}),
    ("t-test: how many per group for effect size 0.5 at 90% power?", {"test": "ttest", "effect_size": 0.5,
                                                                        "power": 0.9, "goal": "sample_size"}),
    ("12 samples in total, 30 million reads each", {"n_per_group": 6, "total_reads": 30e6}),
])
def test_math_expert_parses_the_numbers(question, expected):
    parsed = parse_question(question).model_dump()
    assert {key: parsed[key] for key in expected} == expected


# -- the math expert's answers ---------------------------------------------------------------------------------------

def test_sample_size_answer_shows_formula_numbers_and_defaults(retriever):
    answer = answer_statistics("How many replicates do I need for 80% power to detect a 2-fold change?", retriever)
    assert "2 (z_{1-a/2} + z_power)^2 (1/mu + CV^2) / ln(FC)^2" in answer.answer
    assert "(1/20 + 0.4^2)" in answer.answer and "= 6.86, so 7 biological replicates per group" in answer.answer
    assert re.search(r"biological CV 0\.4.*\[rnaseq-replicates-power\]", answer.answer)
    assert "1 CPM" in answer.answer and "20M reads" in answer.answer
    cited = {c.card for c in answer.citations}
    assert POWER_CARD in cited
    assert all(c.title == retriever.card_title(c.card) for c in answer.citations)


def test_cell_lines_get_the_lower_default_cv(retriever):
    answer = answer_statistics("How many replicates for a 1.5-fold change in HeLa cell lines?", retriever)
    assert "biological CV 0.1, typical for cell lines" in answer.answer
    n = math.ceil(2 * (Z_975 + Z_80) ** 2 * (1 / 20 + 0.01) / math.log(1.5) ** 2)
    assert f"so {n} biological replicates per group" in answer.answer


def test_fdr_lowers_the_per_test_alpha_and_raises_n():
    nominal = answer_statistics("replicates for 2-fold, CV 0.4, 80% power", None)
    with_fdr = answer_statistics("replicates for 2-fold, CV 0.4, 80% power, FDR 0.05", None)
    assert "alpha* = m1 x power x q / ((m - m1)(1 - q))" in with_fdr.answer and "0.00222" in with_fdr.answer
    n_nominal = int(re.search(r"so (\d+) biological", nominal.answer).group(1))
    n_fdr = int(re.search(r"so (\d+) biological", with_fdr.answer).group(1))
    z_alpha = NormalDist().inv_cdf(1 - (40 / 18_050) / 2)  # the stdlib's own quantile code, not scipy's
    assert n_fdr == math.ceil(2 * (z_alpha + Z_80) ** 2 * 0.21 / LN2**2) > n_nominal
    assert "multiple-testing-fwer" in {c.card for c in with_fdr.citations}


def test_power_answer_for_a_given_design():
    answer = answer_statistics("What power do I have with 3 vs 3 samples for a 2-fold change?", None)
    assert "45.7% power" in answer.answer
    assert "fold changes of 2.85 or more" in answer.answer


def test_ttest_answer():
    answer = answer_statistics("t-test sample size for Cohen's d 0.8 at 80% power", None)
    assert "n = 26 per group" in answer.answer
    assert [c.card for c in answer.citations] == ["ttest-power"]


def test_citations_are_the_same_with_or_without_a_retriever(retriever):
    question = "How many replicates for 2-fold changes at FDR 0.1 in mouse tissue?"
    assert answer_statistics(question, retriever).citations == answer_statistics(question, None).citations


def test_impossible_request_is_explained_not_crashed():
    answer = answer_statistics("How many replicates to detect a fold change of 1?", None)
    assert answer.answer.startswith("I could not compute this") and "no effect" in answer.answer
    assert answer.citations == []


# -- the bio expert ------------------------------------------------------------------------------------------------

BIO_QUESTIONS = [
    ("Should I use STAR or HISAT2 for RNA-seq alignment?", ["HISAT2", "STAR", "memory"]),
    ("Do I need an input control for ChIP-seq?", ["input", "control"]),
    ("When should I use hard filters instead of VQSR?", ["hard filters", "VQSR"]),
    ("Why use the Benjamini-Hochberg FDR instead of raw p-values?", ["false discovery"]),
    ("Which peak calling mode for a broad histone mark like H3K27me3?", ["broad"]),
    ("What are UMIs used for?", ["UMI"]),
]


def _card_texts(corpus) -> dict[str, str]:
    return {c.id: " ".join(f"{c.title} {c.body}".split()) for c in corpus.cards}


@pytest.mark.parametrize("question, key_terms", BIO_QUESTIONS)
def test_bio_answer_is_grounded_in_the_cards_it_cites(retriever, corpus, question, key_terms):
    answer = answer_biology(question, retriever)
    texts = _card_texts(corpus)
    assert answer.citations, answer.answer
    assert len(answer.answer.split()) <= 210
    cited_text = " ".join(texts[c.card] for c in answer.citations).lower()
    for term in key_terms:
        assert term.lower() in answer.answer.lower(), f"{term!r} missing from: {answer.answer}"
        assert term.lower() in cited_text, f"{term!r} is not in the cited cards"
    # Extractive: every sentence of the answer is quoted from a cited card (paragraphs start with the card title).
    for paragraph in answer.answer.split("\n\n"):
        title, _, body = paragraph.partition("] ")
        card = next(c for c in answer.citations if f"[{c.title}" == title)
        assert body
        for sentence in split_sentences(body):
            assert sentence in texts[card.card], f"not a quote from {card.card}: {sentence}"


@pytest.mark.parametrize("question", ["What is a good recipe for banana bread?", "Who won the 2018 football world cup?",
                                      "What is the capital of France?"])
def test_bio_expert_says_so_when_nothing_relevant_is_found(retriever, question):
    answer = answer_biology(question, retriever)
    assert answer.answer.startswith("I could not find this in the knowledge base")
    assert answer.citations == []
