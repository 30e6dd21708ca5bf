"""troubleshoot: an error message or a failed step, answered from the failure knowledge base.

LLM tier: the validator role's model (the one that reads Snakemake and tool errors) answers from the retrieved
failure cards and may cite only those. Offline tier: an extractive answer from the best-matching failure cards.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from biopipelines.core.schemas import ExpertAnswer
from biopipelines.nodes.experts import CONTEXT_HITS, CardAnswerNode

if TYPE_CHECKING:
    from biopipelines.rag.retriever import Hit, Retriever


class TroubleshootNode(CardAnswerNode):
    node, role, prompt = "troubleshoot", "validator", "troubleshoot"

    def passages(self, question: str, retriever: "Retriever") -> list["Hit"]:
        from biopipelines.nodes.offline.troubleshoot import failure_passages

        return failure_passages(question, retriever, k=CONTEXT_HITS)

    def offline(self, question: str, retriever: "Retriever") -> ExpertAnswer:
        from biopipelines.nodes.offline.troubleshoot import answer_failure

        return answer_failure(question, retriever)
