"""The knowledge corpus, the FAISS index lifecycle and hybrid retrieval, with the real bundled MiniLM embedder."""

from __future__ import annotations

import json
import statistics
from datetime import datetime
from pathlib import Path

import numpy as np
import pytest

from biopipelines.rag.corpus import (KNOWLEDGE_DIR, MAX_CHUNK_CHARS, CorpusError, card_problems, chunk_card, default_sources,
                        load_cards, load_corpus, parse_card)
from biopipelines.core.errors import InputError
from biopipelines.rag.embeddings import EMBEDDED_MODEL_ID, embedded_default
from biopipelines.rag.evaluate import LabelledQuery, evaluate, load_labelled
from biopipelines.rag.index import INDEX_DIR_ENV, MANIFEST, index_dir, load_or_build, model_id_of, read_manifest
from biopipelines.rag.retriever import Retriever
from biopipelines.rag.tokens import split_sentences, tokenize

# Questions a user might ask, each with the knowledge card(s) that answer it.
LABELLED = [
    ("Why would I pick DESeq2 over edgeR or limma-voom?", {"de-tool-choice"}),
    ("How many biological replicates per group do I need for bulk RNA-seq?", {"rnaseq-replicates-power"}),
    ("Is it better to sequence deeper or add more samples?", {"depth-vs-replicates"}),
    ("How does the Benjamini-Hochberg procedure control the false discovery rate?", {"fdr-benjamini-hochberg"}),
    ("When is a Bonferroni correction appropriate?", {"multiple-testing-fwer"}),
    ("Can I give TPM values to DESeq2?", {"rnaseq-normalisation"}),
    ("My library is reverse stranded, what should featureCounts -s be?", {"library-strandedness", "read-counting"}),
    ("How do UMI-tools collapse PCR duplicates with unique molecular identifiers?", {"umi-deduplication"}),
    ("What are ERCC spike-ins good for?", {"spike-ins"}),
    ("STAR or HISAT2 for a laptop with 16 GB of RAM?", {"star-vs-hisat2"}),
    ("Should I use Salmon or kallisto instead of aligning to the genome?", {"pseudoalignment"}),
    ("Should duplicates be removed in RNA-seq without UMIs?", {"duplicate-marking"}),
    ("Do I need an input control for ChIP-seq?", {"chipseq-input-controls"}),
    ("H3K27me3 gives broad domains: which peak calling mode?", {"chipseq-peak-shapes"}),
    ("How do I assess reproducibility of peaks between two replicates?", {"idr-reproducibility"}),
    ("What are the GATK best practices steps for germline variant calling?", {"gatk-best-practices"}),
    ("I have a single exome: VQSR or hard filters?", {"vqsr-vs-hard-filtering"}),
    ("What does base quality score recalibration correct?", {"base-quality-recalibration"}),
    ("What do the SM and LB fields of the @RG line mean?", {"read-groups"}),
    ("What coverage do I need for whole-genome germline calling?", {"coverage-depth-planning"}),
    ("My samples cluster by processing date, how do I deal with batch effects?", {"batch-effects"}),
    ("How do I spot outlier samples before differential expression?", {"pca-sample-qc"}),
    ("How can I aggregate FastQC and STAR logs into one report?", {"multiqc-reporting"}),
    ("Do I need to trim adapters before alignment?", {"adapter-trimming"}),
    ("Should I use hg19 or GRCh38?", {"reference-genome-builds"}),
    ("FastQC says per-base sequence content failed for my RNA-seq", {"read-qc"}),
    ("BWA-MEM or Bowtie2 for ChIP-seq reads?", {"dna-aligners"}),
    ("Why shift ATAC-seq reads by +4 and -5 bp?", {"atacseq-essentials"}),
    ("Why shrink log2 fold changes with apeglm?", {"lfc-shrinkage"}),
    ("GSEA or over-representation analysis of my DE genes?", {"functional-enrichment"}),
    ("Tumour-normal calling with Mutect2 and a panel of normals", {"somatic-calling"}),
    ("What mitochondrial read fraction should I filter in single-cell data?", {"scrnaseq-qc"}),
    ("How do I account for paired samples from the same patient in the design?", {"experimental-design"}),
    ("Is single-end 75 bp enough or do I need paired-end reads?", {"paired-vs-single-end"}),
    ("Poly-A selection or ribosomal depletion for degraded FFPE RNA?", {"rna-library-types"}),
    ("What effect size can a t-test detect with 10 samples per group?", {"ttest-power"}),
]

TINY_CARDS = {
    "alpha.md": "---\nid: alpha\ntitle: Alpha card\ntool: AlphaTool\ndoi: 10.1000/alpha\ntags: [a]\n---\n"
                "## Use\nAlphaTool aligns spliced RNA reads against a genome index.\n",
    "beta.md": "---\nid: beta\ntitle: Beta card\ntags: [b]\n---\nThe beta method controls the false discovery rate "
               "of many hypothesis tests.\n",
    "gamma.md": "---\nid: gamma\ntitle: Gamma card\n---\nGamma notes explain how to call peaks from ChIP-seq "
                "reads with an input control.\n",
}


@pytest.fixture(scope="session")
def embeddings():
    return embedded_default()  # the bundled MiniLM, loaded once per session


def suite_index_dir(config: pytest.Config, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where the suite keeps the full-corpus index: pytest's cache dir, so reruns load it instead of re-embedding.

    Safe because load_or_build rebuilds on any corpus or model change (tested below on throwaway directories).
    """
    cache = getattr(config, "cache", None)  # absent with -p no:cacheprovider
    return cache.mkdir("biopipelines-rag-index") if cache else tmp_path_factory.getbasetemp() / "rag-index"


@pytest.fixture(scope="session")
def retriever(embeddings, pytestconfig, tmp_path_factory) -> Retriever:
    return Retriever.for_embeddings(embeddings, directory=suite_index_dir(pytestconfig, tmp_path_factory))


def write_cards(folder: Path, cards: dict[str, str]) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in cards.items():
        (folder / name).write_text(text, encoding="utf-8")
    return sorted(folder.glob("*.md"))


# -- the corpus ----------------------------------------------------------------------------------------------------

def test_knowledge_cards_are_complete_and_lint_clean():
    cards = load_cards(sorted(KNOWLEDGE_DIR.glob("*.md")))
    assert len(cards) >= 30
    for card in cards:
        assert card_problems(card) == [], card.id
        assert Path(card.source).stem == card.id  # file name and id agree, so a card is easy to find
        assert len(card.body) > 600, f"{card.id} is too thin to answer anything"
    # failure cards rest on the tools' documentation, cited as such; method notes cite a paper
    failures = [c for c in cards if "troubleshooting" in c.tags]
    methods = [c for c in cards if c not in failures]
    assert len(failures) >= 10 and all(c.citation and c.id.startswith("troubleshoot-") for c in failures)
    with_doi = [c for c in methods if c.doi]
    assert len(with_doi) >= len(methods) - 3  # only a few method notes lack a paper to cite
    assert all(c.doi.startswith("10.") for c in with_doi)


def test_full_corpus_includes_module_cards_and_ids_are_unique():
    sources = default_sources()
    cards = load_cards(sources)
    assert len({c.id for c in cards}) == len(cards) == len(sources)
    module_cards = [p for p in sources if p.name == "card.md"]
    assert {parse_card(p).source for p in module_cards} <= {c.source for c in cards}


def test_loader_tolerates_an_empty_module_library(tmp_path):
    knowledge = tmp_path / "knowledge"
    write_cards(knowledge, TINY_CARDS)
    sources = default_sources(knowledge, tmp_path / "no-modules-yet")
    assert [p.name for p in sources] == ["alpha.md", "beta.md", "gamma.md"]
    assert [c.id for c in load_cards(sources)] == ["alpha", "beta", "gamma"]


def test_module_card_without_id_takes_its_directory_name(tmp_path):
    path = tmp_path / "modules" / "my_tool"
    path.mkdir(parents=True)
    (path / "card.md").write_text("---\ntitle: My tool\ntool: MyTool\n---\nMyTool does one thing well.\n")
    card = parse_card(path / "card.md")
    assert card.id == "my_tool"
    assert card_problems(card) == [f"{path / 'card.md'}: tool card 'my_tool' has neither doi nor citation"]


@pytest.mark.parametrize("text, message", [
    ("no front matter here\n", "must start with YAML front matter"),
    ("---\nid: [unclosed\n---\nbody\n", "not valid YAML"),
    ("---\nid: Bad Id\ntitle: x\n---\nbody\n", "must be lowercase"),
    ("---\nid: empty\ntitle: Empty\n---\n\n", "has no body"),
])
def test_malformed_cards_are_rejected_with_the_file_named(tmp_path, text, message):
    path = tmp_path / "bad.md"
    path.write_text(text)
    with pytest.raises(CorpusError, match=message) as err:
        parse_card(path)
    assert str(path) in str(err.value)


def test_duplicate_ids_are_an_error(tmp_path):
    paths = write_cards(tmp_path, {"one.md": TINY_CARDS["beta.md"], "two.md": TINY_CARDS["beta.md"]})
    with pytest.raises(CorpusError, match="duplicate card id 'beta'"):
        load_cards(paths)


def test_chunks_respect_size_keep_whole_sentences_and_lose_no_text():
    corpus = load_corpus()
    for card in corpus.cards:
        chunks = chunk_card(card)
        assert chunks and all(len(c.text) <= MAX_CHUNK_CHARS for c in chunks)
        assert all(c.text.rstrip().endswith((".", "?", "!", ")", ":", "`")) for c in chunks), card.id
        body_words = [w for line in card.body.splitlines() if not line.startswith("#") for w in line.split()]
        assert [w for c in chunks for w in c.text.split()] == body_words
    sizes = [len(c.text) for c in corpus.chunks]
    assert 400 <= statistics.median(sizes) <= MAX_CHUNK_CHARS


def test_content_hash_tracks_exactly_the_indexed_text(tmp_path):
    paths = write_cards(tmp_path, TINY_CARDS)
    first = load_corpus(paths).content_hash
    assert load_corpus(paths).content_hash == first
    (tmp_path / "beta.md").write_text(TINY_CARDS["beta.md"].replace("many", "several"))
    assert load_corpus(paths).content_hash != first


def test_tokens_and_sentences():
    assert tokenize("How many replicates for RNA-seq with HISAT2?") == ["replicate", "rnaseq", "hisat2"]
    assert split_sentences("Hart et al. (2013) derived it. DESeq2 (Love et al. 2014) uses it.") == [
        "Hart et al. (2013) derived it.", "DESeq2 (Love et al. 2014) uses it."]


# -- the index -----------------------------------------------------------------------------------------------------

def test_index_build_writes_faiss_files_and_a_manifest(embeddings, tmp_path):
    corpus = load_corpus(write_cards(tmp_path / "cards", TINY_CARDS))
    directory = tmp_path / "index"
    loaded = load_or_build(embeddings, corpus=corpus, directory=directory)
    assert loaded.rebuilt
    assert {p.name for p in directory.iterdir()} == {"index.faiss", "index.pkl", "sentences.faiss", "sentences.pkl", MANIFEST}
    manifest = json.loads((directory / MANIFEST).read_text())
    assert manifest["model_id"] == EMBEDDED_MODEL_ID
    assert manifest["dimension"] == 384 == loaded.store.index.d
    assert manifest["corpus_hash"] == corpus.content_hash
    assert manifest["chunk_count"] == len(corpus.chunks) == loaded.store.index.ntotal
    assert manifest["card_count"] == 3
    assert manifest["sentence_count"] == loaded.sentences.index.ntotal >= manifest["chunk_count"]
    assert datetime.fromisoformat(manifest["built_at"]).tzinfo is not None
    assert manifest["build_seconds"] > 0
    assert not list(tmp_path.glob(".index.*")), "the staging directory must not be left behind"


def test_index_is_loaded_when_current_and_rebuilt_when_cards_change(embeddings, tmp_path):
    cards = tmp_path / "cards"
    paths = write_cards(cards, TINY_CARDS)
    directory = tmp_path / "index"
    built = load_or_build(embeddings, corpus=load_corpus(paths), directory=directory)
    again = load_or_build(embeddings, corpus=load_corpus(paths), directory=directory)
    assert not again.rebuilt and again.manifest == built.manifest

    (cards / "gamma.md").write_text(TINY_CARDS["gamma.md"] + "\nBroad marks need a broad peak mode.\n")
    changed = load_corpus(paths)
    rebuilt = load_or_build(embeddings, corpus=changed, directory=directory)
    assert rebuilt.rebuilt
    assert read_manifest(directory).corpus_hash == changed.content_hash != built.manifest.corpus_hash
    texts = [d.page_content for d in rebuilt.store.docstore._dict.values()]
    assert any("broad peak mode" in t for t in texts)


def test_a_different_model_never_reuses_the_index(embeddings, tmp_path):
    corpus = load_corpus(write_cards(tmp_path / "cards", TINY_CARDS))
    directory = tmp_path / "index"
    load_or_build(embeddings, corpus=corpus, directory=directory)
    other = load_or_build(embeddings, "another/model", corpus=corpus, directory=directory)
    assert other.rebuilt and read_manifest(directory).model_id == "another/model"
    # By default each model has its own directory, so switching back and forth does not thrash one index.
    assert index_dir("another/model", tmp_path) != index_dir(EMBEDDED_MODEL_ID, tmp_path)


def test_a_damaged_index_is_rebuilt(embeddings, tmp_path):
    corpus = load_corpus(write_cards(tmp_path / "cards", TINY_CARDS))
    directory = tmp_path / "index"
    load_or_build(embeddings, corpus=corpus, directory=directory)
    (directory / MANIFEST).write_text("{not json")
    assert load_or_build(embeddings, corpus=corpus, directory=directory).rebuilt
    (directory / "index.faiss").write_bytes(b"garbage")
    assert load_or_build(embeddings, corpus=corpus, directory=directory).rebuilt


def test_index_location_follows_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv(INDEX_DIR_ENV, str(tmp_path))
    assert index_dir(EMBEDDED_MODEL_ID) == tmp_path / "sentence-transformers--all-MiniLM-L6-v2"
    monkeypatch.delenv(INDEX_DIR_ENV)
    assert index_dir("BAAI/bge-m3") == Path.home() / ".cache" / "biopipelines" / "index" / "BAAI--bge-m3"


def test_build_command_reports_a_bad_profile_as_a_user_error(capsys):
    from biopipelines.rag.__main__ import main

    assert main(["--profile", "no-such-profile"]) == 2
    assert "unknown profile 'no-such-profile'" in capsys.readouterr().err


def test_model_id_comes_from_the_embeddings_object(embeddings):
    assert model_id_of(embeddings) == EMBEDDED_MODEL_ID
    with pytest.raises(ValueError, match="cannot tell which model"):
        model_id_of(object())  # type: ignore[arg-type]


# -- retrieval -----------------------------------------------------------------------------------------------------

def test_retrieval_recall_at_5_on_labelled_questions(retriever):
    misses = []
    for question, expected in LABELLED:
        found = [h.card_id for h in retriever.search(question, k=5)]
        if not expected & set(found):
            misses.append((question, found))
    recall = 1 - len(misses) / len(LABELLED)
    assert len(LABELLED) >= 20
    assert recall >= 0.9, f"recall@5 {recall:.2f}; misses: {misses}"


def test_hits_carry_card_metadata_and_are_deduplicated_by_card(retriever):
    hits = retriever.search("How many replicates and what sequencing depth for RNA-seq power?", k=5)
    assert len(hits) == 5 and len({h.card_id for h in hits}) == 5
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    top = hits[0]
    card = load_corpus().card(top.card_id)
    assert top.title == card.title and top.doi == card.doi
    assert top.text in card.body.replace("\n", " ") or top.text.replace("\n", " ") in " ".join(card.body.split())
    assert -1.0 <= top.dense_score <= 1.0
    chunks = retriever.search("How many replicates and what sequencing depth for RNA-seq power?", k=10, dedupe=False)
    assert len({h.chunk_id for h in chunks}) == 10 and len({h.card_id for h in chunks}) < 10


def test_exact_acronyms_are_found_through_bm25(retriever):
    hits = retriever.search("VQSR", k=3)
    assert hits[0].card_id == "vqsr-vs-hard-filtering" and hits[0].bm25_score > 0


def test_empty_query_returns_nothing(retriever):
    assert retriever.search("   ") == []


# -- the labelled set (tests/data/retrieval_eval.jsonl) ----------------------------------------------------------

EVAL_SET = Path(__file__).resolve().parents[1] / "data" / "retrieval_eval.jsonl"


def test_labelled_set_is_large_unique_and_labels_real_cards():
    queries = load_labelled(EVAL_SET)
    assert len(queries) >= 150
    assert len({q.query.lower() for q in queries}) == len(queries)
    card_ids = {c.id for c in load_cards()}
    assert {card for q in queries for card in q.relevant} <= card_ids
    # every knowledge card is the answer to at least one query, so no card goes untested
    assert {c.id for c in load_cards(sorted(KNOWLEDGE_DIR.glob("*.md")))} <= {q.relevant[0] for q in queries}


def test_labelled_set_recall_and_mrr(retriever):
    report = evaluate(retriever, load_labelled(EVAL_SET), k=5)
    assert report.queries >= 150 and report.k == 5
    assert report.recall_at_k >= 0.90, [(m.query, m.retrieved) for m in report.misses]
    assert 0 < report.mrr <= 1 and report.mrr >= report.recall_at_k / 5  # a sanity bound: a hit ranks at most 5th
    assert len(report.misses) == round((1 - report.recall_at_k) * report.queries)


def test_labelled_set_errors_name_the_line(tmp_path):
    bad = tmp_path / "set.jsonl"
    bad.write_text('{"query": "ok", "relevant": ["read-qc"]}\n{"query": "no labels", "relevant": []}\n')
    with pytest.raises(InputError, match=r"set.jsonl:2: expected"):
        load_labelled(bad)
    with pytest.raises(InputError, match="cannot read"):
        load_labelled(tmp_path / "missing.jsonl")


def test_unknown_label_is_an_error_not_a_silent_miss(retriever):
    with pytest.raises(InputError, match="not in the corpus: no-such-card"):
        evaluate(retriever, [LabelledQuery(query="anything", relevant=["no-such-card"])])


def test_sparse_bm25_equals_rank_bm25():
    from rank_bm25 import BM25Okapi

    from biopipelines.rag.bm25 import SparseBM25

    docs = [tokenize(c.search_text()) for c in load_corpus().chunks]
    sparse_bm25, okapi = SparseBM25(docs), BM25Okapi(docs)
    for query in ["VQSR hard filtering exome", "replicates replicates power", "no-such-term", "STAR HISAT2 memory"]:
        tokens = tokenize(query)
        assert np.allclose(sparse_bm25.get_scores(tokens), okapi.get_scores(tokens))
    assert sparse_bm25.idf == okapi.idf
    assert SparseBM25([]).get_scores(["x"]).shape == (0,)
