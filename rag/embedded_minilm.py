"""The embedded default's embeddings without torch: the bundled all-MiniLM-L6-v2 run by the numpy encoder.

The pipeline is the one the model's sentence-transformers config names (modules.json): the tokenizer from
tokenizer.json truncated at `max_seq_length`, the BERT encoder, mean pooling over real tokens (1_Pooling), then unit
length (Normalize). The config is checked on load, so a model folder asking for anything else (CLS pooling, lower-
casing by hand, another architecture) is an error here instead of vectors that quietly differ.

Vectors agree with sentence-transformers' to float32 rounding (cosine >= 0.99999 per text; see
tests/unit/test_embedded_minilm.py), so they keep the model id `sentence-transformers/all-MiniLM-L6-v2`, and a FAISS
index or exemplar cache built by either runtime is valid for the other.
"""

from __future__ import annotations

import json
import threading
from functools import lru_cache
from pathlib import Path

import numpy as np
from langchain_core.embeddings import Embeddings

from biopipelines.core.errors import ConfigError
from biopipelines.rag.bert_numpy import BertEncoder

BATCH = 32  # texts per forward pass, as sentence-transformers batches them
_TRANSFORMER = "sentence_transformers.models.Transformer"
_POOLING = "sentence_transformers.models.Pooling"
_NORMALIZE = "sentence_transformers.models.Normalize"


def _read_json(path: Path) -> dict | list:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ConfigError(f"cannot read {path} ({exc}); reinstall the package that ships the model") from None


def _max_seq_length(model_dir: Path) -> int:
    """Checks that the sentence-transformers pipeline is Transformer -> mean pooling -> Normalize, which is what
    this runtime implements, and returns the Transformer's truncation length."""
    modules = _read_json(model_dir / "modules.json")
    types = [m.get("type") for m in modules] if isinstance(modules, list) else []
    if types != [_TRANSFORMER, _POOLING, _NORMALIZE]:
        raise ConfigError(f"{model_dir}: modules {types} are not Transformer, Pooling, Normalize")
    pooling = _read_json(model_dir / modules[1].get("path", "1_Pooling") / "config.json")
    modes = sorted(k for k, v in pooling.items() if k.startswith("pooling_mode") and v)
    if modes != ["pooling_mode_mean_tokens"]:
        raise ConfigError(f"{model_dir}: pooling {modes} is not mean pooling")
    bert = _read_json(model_dir / "sentence_bert_config.json")
    if bert.get("do_lower_case"):
        raise ConfigError(f"{model_dir}: do_lower_case is not supported by the numpy runtime")
    return int(bert.get("max_seq_length") or 256)


class NumpyMiniLMEmbeddings(Embeddings):
    """Unit-length sentence embeddings from a local MiniLM-style model folder, computed in numpy."""

    def __init__(self, model_dir: Path, model_id: str) -> None:
        from threadpoolctl import ThreadpoolController
        from tokenizers import Tokenizer

        max_length = _max_seq_length(model_dir)
        self.model_id = model_id
        self._encoder = BertEncoder(model_dir)
        self.dimension = self._encoder.config.hidden
        try:
            self._tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        except Exception as exc:  # the Rust tokenizer raises a bare Exception for a damaged file
            raise ConfigError(f"cannot read {model_dir / 'tokenizer.json'} ({exc})") from None
        self._tokenizer.no_padding()  # each batch is padded to its own longest text below
        self._tokenizer.enable_truncation(min(max_length, self._encoder.config.max_positions))
        self._recent_query = lru_cache(maxsize=64)(self._embed_one)
        self._blas = ThreadpoolController()
        self._lock = threading.Lock()  # the BLAS limit is process-wide: one caller sets and restores it at a time

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.embed_array(list(texts)).tolist()

    def embed_query(self, text: str) -> list[float]:
        """One short text. The last few are kept: a turn embeds its request for the intent classifier and again for
        the expert's retrieval, which then costs nothing."""
        return list(self._recent_query(text))

    def _embed_one(self, text: str) -> tuple[float, ...]:
        return tuple(self.embed_array([text])[0].tolist())

    def embed_array(self, texts: list[str]) -> np.ndarray:
        """(len(texts), dimension) float32 unit vectors. Texts are batched by length, as sentence-transformers
        does, so little padding is computed."""
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        if not texts:
            return out
        # One BLAS thread: on a busy CPU, OpenBLAS threads spin-wait for cores and a 15 ms query took 200 ms (an index
        # build 4-7x longer) on the shared 2-core VM; on an idle one, a second thread would save under half.
        with self._lock, self._blas.limit(limits=1, user_api="blas"):
            self._fill(out, texts)
        return out

    def _fill(self, out: np.ndarray, texts: list[str]) -> None:
        # sentence-transformers strips surrounding whitespace before tokenizing
        encodings = self._tokenizer.encode_batch([str(t).strip() for t in texts])
        order = sorted(range(len(texts)), key=lambda i: -len(encodings[i].ids))
        for start in range(0, len(order), BATCH):
            rows = order[start:start + BATCH]
            out[rows] = self._pooled([encodings[i].ids for i in rows])

    def _pooled(self, token_ids: list[list[int]]) -> np.ndarray:
        length = max(len(ids) for ids in token_ids)
        ids = np.zeros((len(token_ids), length), dtype=np.int64)
        mask = np.zeros((len(token_ids), length), dtype=np.float32)
        for row, seq in enumerate(token_ids):
            ids[row, :len(seq)] = seq
            mask[row, :len(seq)] = 1.0
        hidden = self._encoder.encode(ids, mask)
        summed = (hidden * mask[:, :, None]).sum(axis=1)
        mean = summed / np.maximum(mask.sum(axis=1, keepdims=True), 1e-9)
        return mean / np.maximum(np.linalg.norm(mean, axis=1, keepdims=True), 1e-12)
