"""Retrieval quality on a labelled query set: recall@k and mean reciprocal rank.

The set is JSON Lines, one `{"query": "...", "relevant": ["card-id", ...]}` per line. A query counts as found at k
when any of its relevant cards is among the first k distinct cards; its reciprocal rank is 1 / the rank of the first
relevant card within the first `mrr_depth` cards (0 if none).
"""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel, Field, ValidationError

from biopipelines.core.errors import InputError
from biopipelines.rag.retriever import Retriever

MRR_DEPTH = 10


class LabelledQuery(BaseModel):
    query: str = Field(min_length=1)
    relevant: list[str] = Field(min_length=1)


class QueryResult(BaseModel):
    query: str
    relevant: list[str]
    retrieved: list[str]
    rank: int | None  # 1-based rank of the first relevant card, None when not in the first mrr_depth


class EvalReport(BaseModel):
    file: str
    model_id: str
    queries: int
    k: int
    recall_at_k: float
    mrr: float
    mrr_depth: int
    misses: list[QueryResult]


def load_labelled(path: Path) -> list[LabelledQuery]:
    """The labelled set; a bad line is an InputError naming the file and line."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read the labelled set: {exc.strerror or exc}") from None
    queries = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            queries.append(LabelledQuery.model_validate(json.loads(line)))
        except (json.JSONDecodeError, ValidationError) as exc:
            first = str(exc).splitlines()[0]
            expected = '{"query": str, "relevant": [card ids]}'
            raise InputError(f"{path}:{number}: expected {expected}: {first}") from None
    if not queries:
        raise InputError(f"{path}: the labelled set is empty")
    return queries


def evaluate(retriever: Retriever, queries: list[LabelledQuery], k: int = 5, file: str = "",
             mrr_depth: int = MRR_DEPTH) -> EvalReport:
    known = set(retriever.card_ids())
    unknown = sorted({card for q in queries for card in q.relevant} - known)
    if unknown:  # a label that no card carries would silently count as a miss
        raise InputError(f"{file or 'labelled set'}: relevant ids not in the corpus: {', '.join(unknown[:10])}")
    results = []
    for item in queries:
        retrieved = [h.card_id for h in retriever.search(item.query, k=max(k, mrr_depth))]
        rank = next((i + 1 for i, card in enumerate(retrieved[:mrr_depth]) if card in item.relevant), None)
        results.append(QueryResult(query=item.query, relevant=item.relevant, retrieved=retrieved[:k], rank=rank))
    found = sum(1 for r in results if r.rank is not None and r.rank <= k)
    mrr = sum(1.0 / r.rank for r in results if r.rank) / len(results)
    return EvalReport(file=file, model_id=retriever.manifest.model_id, queries=len(results), k=k,
                      recall_at_k=round(found / len(results), 4), mrr=round(mrr, 4), mrr_depth=mrr_depth,
                      misses=[r for r in results if r.rank is None or r.rank > k])
