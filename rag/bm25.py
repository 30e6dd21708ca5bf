"""BM25 scores for a whole corpus as one sparse matrix product.

rank_bm25's BM25Okapi computes the statistics (idf with its epsilon floor, average length), but its get_scores
walks every document in Python for every query term: 60% of a search at 100k chunks (bench/retrieval.py). Here
each term's weight in each document, idf * f (k1 + 1) / (f + k1 (1 - b + b |d| / avgdl)), is computed once into
a term-by-document sparse matrix, so scoring a query is a sum of a few sparse rows, equal to get_scores.
"""

from __future__ import annotations

import numpy as np
from rank_bm25 import BM25Okapi
from scipy import sparse


class SparseBM25:
    def __init__(self, tokenized: list[list[str]]) -> None:
        self.okapi = BM25Okapi(tokenized) if tokenized else None
        self.size = len(tokenized)
        if self.okapi is None:
            self._terms: dict[str, int] = {}
            self._weights = sparse.csr_matrix((0, 0))
            return
        okapi = self.okapi
        self._terms = {term: i for i, term in enumerate(okapi.idf)}
        rows, cols, values = [], [], []
        for doc, (freqs, length) in enumerate(zip(okapi.doc_freqs, okapi.doc_len)):
            norm = okapi.k1 * (1 - okapi.b + okapi.b * length / okapi.avgdl)
            for term, f in freqs.items():
                rows.append(self._terms[term])
                cols.append(doc)
                values.append(okapi.idf[term] * f * (okapi.k1 + 1) / (f + norm))
        self._weights = sparse.csr_matrix((values, (rows, cols)), shape=(len(self._terms), self.size))

    @property
    def idf(self) -> dict[str, float]:
        return self.okapi.idf if self.okapi else {}

    def get_scores(self, query: list[str]) -> np.ndarray:
        """BM25 score of every document; a repeated query term counts again, as in rank_bm25."""
        known = [self._terms[t] for t in query if t in self._terms]
        if not known:
            return np.zeros(self.size)
        counts = np.bincount(known, minlength=len(self._terms))
        used = np.flatnonzero(counts)
        return np.asarray(self._weights[used].T @ counts[used], dtype="float64").ravel()
