"""The OpenAI-compatible embeddings path, end to end over HTTP on loopback.

A real server process (tests/embedding_server.py) serves the bundled MiniLM behind /v1/embeddings; the profile's
embeddings role points at it, so load_embeddings returns the endpoint client, and the unit suite's retrieval tests
run again through it.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest
import yaml

from biopipelines.core.errors import ConfigError
from biopipelines.core.settings import load_settings
from biopipelines.rag.embeddings import embedded_default, load_embeddings
from biopipelines.rag.endpoint_embeddings import EndpointEmbeddings
from biopipelines.rag.evaluate import evaluate, load_labelled
from biopipelines.rag.index import model_id_of
from biopipelines.rag.retriever import Retriever
from tests.servers import free_port, running
from tests.unit import test_rag

EVAL_SET = Path(__file__).resolve().parents[1] / "data" / "retrieval_eval.jsonl"
REPO = Path(__file__).resolve().parents[2]
SERVED_NAME = "minilm"


@pytest.fixture(scope="module")
def embeddings_url(tmp_path_factory) -> str:
    tmp = tmp_path_factory.mktemp("embeddings-server")
    port = free_port()
    cmd = [sys.executable, "-m", "tests.embedding_server", "--port", str(port), "--model-name", SERVED_NAME]
    with running(cmd, f"http://127.0.0.1:{port}/v1/models", tmp / "server.log", timeout_s=120, cwd=str(REPO)):
        yield f"http://127.0.0.1:{port}/v1"


def endpoint_profile(path: Path, url: str, model: str = SERVED_NAME) -> Path:
    profile = {"name": "embeddings-http", "allow_cloud": False,
               "roles": {"embeddings": {"model_id": "sentence-transformers/all-MiniLM-L6-v2",
                                        "endpoints": [{"url": url, "model": model, "timeout_s": 300}]}}}
    path.write_text(yaml.safe_dump(profile))
    return path


@pytest.fixture(scope="module")
def http_embeddings(embeddings_url, tmp_path_factory):
    profile = endpoint_profile(tmp_path_factory.mktemp("profile") / "http.yaml", embeddings_url)
    return load_embeddings(load_settings(str(profile)))


@pytest.fixture(scope="module")
def http_retriever(http_embeddings, tmp_path_factory) -> Retriever:
    return Retriever.for_embeddings(http_embeddings, directory=tmp_path_factory.mktemp("http-index"))


def test_the_profile_endpoint_gives_the_http_client_and_its_own_index_id(http_embeddings):
    assert isinstance(http_embeddings, EndpointEmbeddings)
    assert model_id_of(http_embeddings) == "openai:minilm"


def test_vectors_over_http_match_the_local_model(http_embeddings):
    texts = ["STAR aligns spliced RNA-seq reads", "Benjamini-Hochberg controls the FDR"]
    remote = np.asarray(http_embeddings.embed_documents(texts))
    local = np.asarray(embedded_default().embed_documents(texts))
    assert remote.shape == local.shape == (2, 384)
    assert np.allclose(remote, local, atol=1e-4)
    assert np.allclose(http_embeddings.embed_query(texts[0]), local[0], atol=1e-4)


def test_index_built_over_http_records_the_served_model(http_retriever):
    assert http_retriever.manifest.model_id == "openai:minilm"
    assert http_retriever.manifest.dimension == 384


# The unit suite's retrieval tests, run unchanged against the HTTP-backed retriever.
@pytest.mark.parametrize("unit_test", [
    test_rag.test_retrieval_recall_at_5_on_labelled_questions,
    test_rag.test_hits_carry_card_metadata_and_are_deduplicated_by_card,
    test_rag.test_exact_acronyms_are_found_through_bm25,
    test_rag.test_empty_query_returns_nothing,
    test_rag.test_labelled_set_recall_and_mrr,
], ids=lambda f: f.__name__)
def test_unit_retrieval_tests_pass_through_http(unit_test, http_retriever):
    unit_test(http_retriever)


def test_labelled_set_figures_match_the_local_model(http_retriever, retriever_local):
    queries = load_labelled(EVAL_SET)
    remote, local = evaluate(http_retriever, queries), evaluate(retriever_local, queries)
    assert remote.recall_at_k >= 0.90
    assert abs(remote.recall_at_k - local.recall_at_k) <= 0.01 and abs(remote.mrr - local.mrr) <= 0.01


@pytest.fixture(scope="module")
def retriever_local(pytestconfig, tmp_path_factory) -> Retriever:
    return Retriever.for_embeddings(embedded_default(),
                                    directory=test_rag.suite_index_dir(pytestconfig, tmp_path_factory))


def test_wrong_served_model_is_a_clear_error(embeddings_url, tmp_path):
    embeddings = load_embeddings(load_settings(str(endpoint_profile(tmp_path / "p.yaml", embeddings_url, "bge-m3"))))
    with pytest.raises(ConfigError, match="does not serve model 'bge-m3'"):
        embeddings.embed_query("anything")


def test_unreachable_endpoint_is_a_clear_error(tmp_path):
    url = f"http://127.0.0.1:{free_port()}/v1"  # nothing listens there
    embeddings = load_embeddings(load_settings(str(endpoint_profile(tmp_path / "p.yaml", url))))
    with pytest.raises(ConfigError, match="not reachable: start the server"):
        embeddings.embed_documents(["anything"])
