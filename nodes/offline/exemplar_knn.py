"""Nearest-exemplar similarity over sentences embedded with the injected LangChain `Embeddings`.

The exemplar vectors are computed once per process and per embeddings object (an LRU cache keyed by the object's
identity, since embedding clients need not be hashable) and reused by every classifier built on them.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from langchain_core.embeddings import Embeddings

TOP_PER_LABEL = 2  # a label's score is the mean of its two nearest exemplars: steadier than the single nearest


class _ByIdentity:
    """Hashes any object by identity so that it can key a cache."""

    __slots__ = ("obj",)

    def __init__(self, obj: object) -> None:
        self.obj = obj

    def __hash__(self) -> int:
        return id(self.obj)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _ByIdentity) and other.obj is self.obj


def _unit_rows(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=-1, keepdims=True)
    return matrix / np.where(norms == 0.0, 1.0, norms)


@lru_cache(maxsize=16)  # two entries (intents, types) per embeddings object; a few objects per process
def _exemplar_vectors(embedder: _ByIdentity, texts: tuple[str, ...]) -> np.ndarray:
    vectors = np.asarray(embedder.obj.embed_documents(list(texts)), dtype=np.float32)  # type: ignore[attr-defined]
    if vectors.shape[0] != len(texts):
        raise ValueError(f"embeddings returned {vectors.shape[0]} vectors for {len(texts)} exemplars")
    return _unit_rows(vectors)


class ExemplarIndex:
    """Labelled exemplar sentences; `similarities` gives each label's cosine similarity to a query vector."""

    def __init__(self, embeddings: Embeddings, exemplars: dict[str, list[str]]) -> None:
        self.labels = tuple(exemplars)
        texts: list[str] = []
        owners: list[int] = []
        for k, label in enumerate(self.labels):
            texts.extend(exemplars[label])
            owners.extend([k] * len(exemplars[label]))
        self._owners = np.asarray(owners)
        self._vectors = _exemplar_vectors(_ByIdentity(embeddings), tuple(texts))

    def similarities(self, query: np.ndarray) -> dict[str, float]:
        sims = self._vectors @ query
        scores: dict[str, float] = {}
        for k, label in enumerate(self.labels):
            own = np.sort(sims[self._owners == k])[::-1][:TOP_PER_LABEL]
            scores[label] = float(own.mean())
        return scores


def embed_query(embeddings: Embeddings, text: str) -> np.ndarray:
    """The query's unit vector."""
    return _unit_rows(np.asarray(embeddings.embed_query(text), dtype=np.float32))
