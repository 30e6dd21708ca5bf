"""Nearest-exemplar similarity over sentences embedded with the injected LangChain `Embeddings`.

The exemplar vectors are computed once per process and per embeddings object (an LRU cache keyed by the object's
identity, since embedding clients need not be hashable) and reused by every classifier built on them. For embedders
that name their model (`model_id`), they are also kept on disk, keyed by model and exemplar text, so a new CLI
process does not re-embed hundreds of sentences.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from functools import lru_cache
from pathlib import Path

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


def _cache_file(model_id: str, texts: tuple[str, ...]) -> Path:
    root = Path(os.environ.get("BIOPIPELINES_CACHE_DIR") or Path.home() / ".cache" / "biopipelines")
    digest = hashlib.sha256("\n".join((model_id, *texts)).encode("utf-8")).hexdigest()[:32]
    return root / "exemplars" / f"{digest}.npy"


def _load_cached(path: Path, rows: int) -> np.ndarray | None:
    try:
        vectors = np.load(path, allow_pickle=False)
    except (OSError, ValueError):
        return None
    return vectors if vectors.ndim == 2 and vectors.shape[0] == rows else None


def _store(path: Path, vectors: np.ndarray) -> None:
    try:  # a cache: failing to write it only costs time
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, suffix=".npy", delete=False) as tmp:
            np.save(tmp, vectors)
        os.replace(tmp.name, path)
    except OSError:
        pass


@lru_cache(maxsize=16)  # two entries (intents, types) per embeddings object; a few objects per process
def _exemplar_vectors(embedder: _ByIdentity, texts: tuple[str, ...]) -> np.ndarray:
    model_id = getattr(embedder.obj, "model_id", None)
    path = _cache_file(model_id, texts) if isinstance(model_id, str) else None
    if path is not None and (cached := _load_cached(path, len(texts))) is not None:
        return cached
    vectors = np.asarray(embedder.obj.embed_documents(list(texts)), dtype=np.float32)  # type: ignore[attr-defined]
    if vectors.shape[0] != len(texts):
        raise ValueError(f"embeddings returned {vectors.shape[0]} vectors for {len(texts)} exemplars")
    vectors = _unit_rows(vectors)
    if path is not None:
        _store(path, vectors)
    return vectors


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
