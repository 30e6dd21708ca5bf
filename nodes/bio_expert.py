"""bio_expert: methods and biology questions, grounded in the knowledge cards.

LLM tier: the bio role's model answers from the retrieved cards and may cite only those. Offline tier: an extractive
answer composed from the best-matching card passages.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from biopipelines.core.schemas import ExpertAnswer
from biopipelines.nodes.experts import CardAnswerNode

if TYPE_CHECKING:
    from biopipelines.rag.retriever import Retriever


class BioExpertNode(CardAnswerNode):
    node, role, prompt = "bio_expert", "bio", "bio_expert"

    def offline(self, question: str, retriever: "Retriever") -> ExpertAnswer:
        from biopipelines.nodes.offline.bio_expert import answer_biology

        return answer_biology(question, retriever)
