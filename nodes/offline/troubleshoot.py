"""The offline troubleshooter: an extractive answer from the failure cards (rag/knowledge/troubleshoot-*.md).

The failure cards are the knowledge base of common run-time failures (out of memory, missing inputs, locked
directories, conda solves, SLURM kills, missing indexes, wrong strandedness...). Retrieval runs over the whole
corpus, and the answer is built from the failure cards among the best passages, so a pasted error message is
answered by what fixes it rather than by a method card that shares its words.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from biopipelines.core.schemas import ExpertAnswer
from biopipelines.nodes.offline.bio_expert import CANDIDATE_PASSAGES, answer_from_passages

if TYPE_CHECKING:
    from biopipelines.rag.retriever import Hit, Retriever

FAILURE_CARD_PREFIX = "troubleshoot-"
SEARCH_DEPTH = 4  # passages searched per passage kept: failure cards compete with method cards for the top ranks


def failure_passages(question: str, retriever: "Retriever", k: int = CANDIDATE_PASSAGES) -> list["Hit"]:
    """The best passages of failure cards for the question (all passages if no failure card matches at all)."""
    hits = retriever.search(question, k=k * SEARCH_DEPTH, dedupe=False)
    failures = [h for h in hits if h.card_id.startswith(FAILURE_CARD_PREFIX)]
    return (failures or hits)[:k]


def answer_failure(question: str, retriever: "Retriever") -> ExpertAnswer:
    return answer_from_passages(question, failure_passages(question, retriever), retriever)
