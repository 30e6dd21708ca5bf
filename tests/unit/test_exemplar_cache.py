"""Exemplar vectors persist on disk per model and text, so a new process does not re-embed them."""

import numpy as np
from langchain_core.embeddings import Embeddings

from biopipelines.nodes.offline.exemplar_knn import ExemplarIndex


class CountingEmbeddings(Embeddings):
    def __init__(self, model_id: str) -> None:
        self.model_id, self.batches = model_id, 0

    def embed_documents(self, texts):
        self.batches += 1
        return [[float(len(t)), 1.0, float(i)] for i, t in enumerate(texts)]

    def embed_query(self, text):
        return [float(len(text)), 1.0, 0.0]


EXEMPLARS = {"a": ["RNA-seq of liver", "bulk RNA"], "b": ["ChIP-seq peaks", "H3K27ac"]}


def test_second_embedder_of_the_same_model_reads_the_disk_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("BIOPIPELINES_CACHE_DIR", str(tmp_path))
    first, second = CountingEmbeddings("m-1"), CountingEmbeddings("m-1")
    vectors = ExemplarIndex(first, EXEMPLARS)._vectors
    again = ExemplarIndex(second, EXEMPLARS)._vectors
    assert (first.batches, second.batches) == (1, 0)
    assert np.array_equal(vectors, again) and list((tmp_path / "exemplars").glob("*.npy"))


def test_another_model_or_other_text_is_embedded_afresh(tmp_path, monkeypatch):
    monkeypatch.setenv("BIOPIPELINES_CACHE_DIR", str(tmp_path))
    ExemplarIndex(CountingEmbeddings("m-1"), EXEMPLARS)
    other_model = CountingEmbeddings("m-2")
    ExemplarIndex(other_model, EXEMPLARS)
    other_text = CountingEmbeddings("m-1")
    ExemplarIndex(other_text, {**EXEMPLARS, "c": ["Hi-C"]})
    assert other_model.batches == 1 and other_text.batches == 1


def test_a_corrupt_cache_file_is_recomputed(tmp_path, monkeypatch):
    monkeypatch.setenv("BIOPIPELINES_CACHE_DIR", str(tmp_path))
    ExemplarIndex(CountingEmbeddings("m-3"), EXEMPLARS)
    for path in (tmp_path / "exemplars").glob("*.npy"):
        path.write_bytes(b"not numpy")
    fresh = CountingEmbeddings("m-3")
    ExemplarIndex(fresh, EXEMPLARS)
    assert fresh.batches == 1
