"""Hybrid retrieval over the knowledge cards: dense FAISS similarity fused with BM25 by reciprocal rank fusion.

Dense vectors find paraphrases ("how many samples" ~ "replicates"); BM25 finds exact tool names and acronyms
(HISAT2, VQSR, IDR) that a small embedding model blurs. Reciprocal rank fusion combines the two rankings without
having to calibrate their incomparable scores.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from langchain_core.embeddings import Embeddings
from pydantic import BaseModel

from biopipelines.rag.bm25 import SparseBM25
from biopipelines.rag.corpus import Chunk, Corpus
from biopipelines.rag.index import IndexManifest, LoadedIndex, load_or_build, unit_vectors
from biopipelines.rag.tokens import tokenize

RRF_K = 60  # the constant of Cormack et al. 2009; damps the influence of any single ranking's top positions


class Hit(BaseModel):
    card_id: str
    title: str
    text: str
    score: float  # the fused RRF score: only meaningful for ordering
    doi: str | None = None
    heading: str | None = None
    chunk_id: str
    dense_score: float  # cosine similarity of query and passage, in [-1, 1]
    bm25_score: float


class Retriever:
    """Search the knowledge corpus. Build it with `for_embeddings`; one instance serves a whole process."""

    def __init__(self, loaded: LoadedIndex, embeddings: Embeddings, rrf_k: int = RRF_K) -> None:
        self.embeddings = embeddings
        self.manifest: IndexManifest = loaded.manifest
        self._store = loaded.store
        self._rrf_k = rrf_k
        docstore, positions = self._store.docstore, self._store.index_to_docstore_id
        self.chunks: list[Chunk] = []
        for position in range(len(positions)):
            doc = docstore.search(positions[position])
            self.chunks.append(Chunk(text=doc.page_content, **doc.metadata))
        # BM25 is built from the stored passages themselves, so its positions line up with the FAISS rows.
        self._bm25 = SparseBM25([tokenize(c.search_text()) for c in self.chunks])
        self._titles = {c.card_id: c.title for c in self.chunks}
        # Sentence vectors were computed at build time; reconstructing them from the flat index costs milliseconds.
        sentences = loaded.sentences
        self._sentence_cache: dict[str, np.ndarray] = {
            sentences.docstore.search(doc_id).page_content: sentences.index.reconstruct(int(row))
            for row, doc_id in sentences.index_to_docstore_id.items()}

    @classmethod
    def for_embeddings(cls, embeddings: Embeddings, model_id: str | None = None, *, corpus: Corpus | None = None,
                       directory: Path | None = None) -> "Retriever":
        return cls(load_or_build(embeddings, model_id, corpus=corpus, directory=directory), embeddings)

    def card_ids(self) -> list[str]:
        return sorted(self._titles)

    def card_title(self, card_id: str) -> str | None:
        return self._titles.get(card_id)

    def term_weight(self, token: str) -> float:
        """The BM25 inverse document frequency of a token over the passages (0 for a token no passage has)."""
        return max(float(self._bm25.idf.get(token, 0.0)), 0.0)

    def embed_query(self, text: str) -> np.ndarray:
        return unit_vectors(self.embeddings.embed_query(text))

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        """Unit vectors for card sentences: from the index when built there, else embedded once and kept."""
        missing = [t for t in dict.fromkeys(texts) if t not in self._sentence_cache]
        if missing:
            self._sentence_cache.update(zip(missing, unit_vectors(self.embeddings.embed_documents(missing))))
        if not texts:
            return np.zeros((0, self.manifest.dimension), dtype="float32")
        return np.stack([self._sentence_cache[t] for t in texts])

    def _dense(self, query_vector: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Cosine similarity of every passage, and the passage positions ranked by it."""
        total = self._store.index.ntotal
        scores, positions = self._store.index.search(query_vector.reshape(1, -1), total)
        cosine = np.full(total, -1.0, dtype="float32")
        valid = positions[0] >= 0
        cosine[positions[0][valid]] = scores[0][valid]
        return cosine, positions[0][valid]

    def search(self, query: str, k: int = 5, dedupe: bool = True) -> list[Hit]:
        """The k best passages for a query; with dedupe, only the best passage of each card (k distinct cards)."""
        if not query.strip() or not self.chunks:
            return []
        cosine, dense_order = self._dense(self.embed_query(query))
        bm25 = np.asarray(self._bm25.get_scores(tokenize(query)), dtype="float64")
        fused = np.zeros(len(self.chunks))
        fused[dense_order] += 1.0 / (self._rrf_k + 1 + np.arange(len(dense_order)))
        matched = np.flatnonzero(bm25 > 0)  # no shared term: no vote
        lexical = matched[np.argsort(-bm25[matched], kind="stable")]
        fused[lexical] += 1.0 / (self._rrf_k + 1 + np.arange(len(lexical)))
        hits: list[Hit] = []
        seen: set[str] = set()
        for position in np.argsort(-fused, kind="stable"):
            chunk = self.chunks[int(position)]
            if dedupe and chunk.card_id in seen:
                continue
            seen.add(chunk.card_id)
            hits.append(Hit(card_id=chunk.card_id, title=chunk.title, text=chunk.text, doi=chunk.doi,
                            heading=chunk.heading, chunk_id=chunk.chunk_id, score=float(fused[position]),
                            dense_score=float(cosine[position]), bm25_score=float(bm25[position])))
            if len(hits) == k:
                break
        return hits
