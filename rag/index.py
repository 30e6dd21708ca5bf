"""The FAISS index over the knowledge corpus: built once, stored on disk with a manifest, rebuilt when stale.

An index directory holds two FAISS stores in FAISS's own files: the passages (index.faiss, index.pkl) that retrieval
searches, and the quotable sentences of those passages (sentences.faiss, sentences.pkl), whose vectors let the
extractive bio expert rank sentences without embedding them per question. manifest.json records the embedding model
and dimension, so vectors of two models are never mixed, and the corpus content hash, so an edited card triggers a
rebuild. Each model gets its own directory under the index root.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
from langchain_core.embeddings import Embeddings
from pydantic import BaseModel, ValidationError

from biopipelines.rag.corpus import Corpus, load_corpus
from biopipelines.rag.tokens import quotable_units

MANIFEST = "manifest.json"
INDEX_NAME = "index"
SENTENCES_NAME = "sentences"
FORMAT_VERSION = 2
INDEX_DIR_ENV = "BIOPIPELINES_INDEX_DIR"


class IndexManifest(BaseModel):
    format_version: int = FORMAT_VERSION
    model_id: str
    dimension: int
    corpus_hash: str
    built_at: str
    build_seconds: float
    chunk_count: int
    sentence_count: int
    card_count: int
    distance: str = "cosine"


class LoadedIndex(BaseModel, arbitrary_types_allowed=True):
    store: object  # langchain_community FAISS over passages; typed loosely so pydantic does not validate it
    sentences: object  # langchain_community FAISS over quotable sentences
    manifest: IndexManifest
    directory: Path
    rebuilt: bool


def model_id_of(embeddings: Embeddings) -> str:
    """A stable id for the model behind an Embeddings object; part of the index location and manifest."""
    model_id = getattr(embeddings, "model_id", None)
    if model_id:
        return str(model_id)
    model = getattr(embeddings, "model", None)  # OpenAIEmbeddings: the served model name
    if model:
        return f"openai:{model}"
    raise ValueError(f"cannot tell which model {type(embeddings).__name__} uses; pass model_id explicitly")


def model_slug(model_id: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "--", model_id).strip("-") or "model"


def index_root() -> Path:
    env = os.environ.get(INDEX_DIR_ENV)
    return Path(env).expanduser() if env else Path.home() / ".cache" / "biopipelines" / "index"


def index_dir(model_id: str, root: Path | None = None) -> Path:
    return (root or index_root()) / model_slug(model_id)


def read_manifest(directory: Path) -> IndexManifest | None:
    path = directory / MANIFEST
    try:
        return IndexManifest.model_validate_json(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, ValidationError):
        return None  # missing or unreadable: treated as "no index", so it is rebuilt


def _embedding_dimension(embeddings: Embeddings) -> int:
    dimension = getattr(embeddings, "dimension", None)
    return int(dimension) if dimension else len(embeddings.embed_query("dimension probe"))


def unit_vectors(vectors: list[list[float]] | np.ndarray) -> np.ndarray:
    array = np.asarray(vectors, dtype="float32")
    norms = np.linalg.norm(array, axis=-1, keepdims=True)
    return array / np.where(norms == 0, 1.0, norms)


def _faiss_store(embeddings: Embeddings, texts: list[str], vectors: np.ndarray, ids: list[str],
                 metadatas: list[dict] | None = None):
    from langchain_community.vectorstores import FAISS
    from langchain_community.vectorstores.utils import DistanceStrategy

    # Inner product of unit vectors is cosine similarity, whether or not the backend normalises (an OpenAI-compatible
    # endpoint may not). The Retriever normalises queries the same way.
    return FAISS.from_embeddings(list(zip(texts, vectors.tolist())), embeddings, metadatas=metadatas, ids=ids,
                                 distance_strategy=DistanceStrategy.MAX_INNER_PRODUCT)


def _passage_store(embeddings: Embeddings, corpus: Corpus):
    vectors = unit_vectors(embeddings.embed_documents([chunk.search_text() for chunk in corpus.chunks]))
    return _faiss_store(embeddings, [c.text for c in corpus.chunks], vectors, [c.chunk_id for c in corpus.chunks],
                        [chunk.model_dump(exclude={"text"}) for chunk in corpus.chunks])


def _sentence_store(embeddings: Embeddings, corpus: Corpus):
    units = list(dict.fromkeys(unit for chunk in corpus.chunks for unit in quotable_units(chunk.text)))
    vectors = unit_vectors(embeddings.embed_documents(units))
    return _faiss_store(embeddings, units, vectors, [f"s{i}" for i in range(len(units))])


def build_index(embeddings: Embeddings, model_id: str, directory: Path, corpus: Corpus | None = None) -> LoadedIndex:
    """Embed the corpus and write the index; the new directory replaces the old one only once it is complete."""
    corpus = corpus or load_corpus()
    if not corpus.chunks:
        raise ValueError("the knowledge corpus is empty: no cards in rag/knowledge or library/modules")
    started = time.perf_counter()
    store, sentences = _passage_store(embeddings, corpus), _sentence_store(embeddings, corpus)
    manifest = IndexManifest(
        model_id=model_id, dimension=int(store.index.d), corpus_hash=corpus.content_hash,
        built_at=datetime.now(timezone.utc).isoformat(timespec="seconds"),
        build_seconds=round(time.perf_counter() - started, 3), chunk_count=len(corpus.chunks),
        sentence_count=int(sentences.index.ntotal), card_count=len(corpus.cards))
    directory.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{directory.name}.", dir=directory.parent))
    try:
        store.save_local(str(staging), INDEX_NAME)
        sentences.save_local(str(staging), SENTENCES_NAME)
        (staging / MANIFEST).write_text(manifest.model_dump_json(indent=2), encoding="utf-8")
        if directory.exists():
            shutil.rmtree(directory)
        staging.rename(directory)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    return LoadedIndex(store=store, sentences=sentences, manifest=manifest, directory=directory, rebuilt=True)


def load_index(embeddings: Embeddings, directory: Path, manifest: IndexManifest) -> LoadedIndex:
    from langchain_community.vectorstores import FAISS
    from langchain_community.vectorstores.utils import DistanceStrategy

    # FAISS keeps its docstore in a pickle, and unpickling can run code. We only ever load a directory that this
    # module wrote (it sits in our own cache dir with our manifest), never an index fetched from elsewhere.
    stores = [FAISS.load_local(str(directory), embeddings, name, allow_dangerous_deserialization=True,
                               distance_strategy=DistanceStrategy.MAX_INNER_PRODUCT)
              for name in (INDEX_NAME, SENTENCES_NAME)]
    return LoadedIndex(store=stores[0], sentences=stores[1], manifest=manifest, directory=directory, rebuilt=False)


def stale_reason(manifest: IndexManifest | None, model_id: str, corpus: Corpus, dimension: int | None) -> str | None:
    """Why an on-disk index cannot be used, or None if it can."""
    if manifest is None:
        return "no index"
    if manifest.format_version != FORMAT_VERSION:
        return f"index format {manifest.format_version} != {FORMAT_VERSION}"
    if manifest.model_id != model_id:
        return f"built with {manifest.model_id}, now using {model_id}"
    if dimension is not None and manifest.dimension != dimension:
        return f"dimension {manifest.dimension} != {dimension}"
    if manifest.corpus_hash != corpus.content_hash:
        return "knowledge cards changed"
    return None


def load_or_build(embeddings: Embeddings, model_id: str | None = None, *, corpus: Corpus | None = None,
                  directory: Path | None = None, force: bool = False) -> LoadedIndex:
    """The index for this corpus and model: loaded from disk when current, otherwise (re)built and saved."""
    model_id = model_id or model_id_of(embeddings)
    corpus = corpus or load_corpus()
    directory = directory or index_dir(model_id)
    manifest = read_manifest(directory)
    reason = "forced" if force else stale_reason(manifest, model_id, corpus, _embedding_dimension(embeddings))
    if reason is None and manifest is not None:
        try:
            return load_index(embeddings, directory, manifest)
        except (OSError, RuntimeError, EOFError, ValueError):
            pass  # damaged files: rebuilding is always safe
    return build_index(embeddings, model_id, directory, corpus)
