"""bio_expert: methods and biology questions, grounded in the knowledge cards.

LLM tier: the bio role's model answers from the retrieved cards and may cite only those. Offline tier: an extractive
answer composed from the best-matching card passages.
"""

from __future__ import annotations

from typing import Any

from langchain_core.messages import HumanMessage, SystemMessage

from biopipelines.graph.schemas import ExpertAnswer
from biopipelines.graph.state import AgentState
from biopipelines.graph.tiers import call_structured
from biopipelines.nodes.common import now, run_context
from biopipelines.nodes.deps import NodeDeps
from biopipelines.nodes.experts import CONTEXT_HITS, answer_text, citation_check, format_context
from biopipelines.nodes.prompts import render_prompt

NODE = "bio_expert"
ROLE = "bio"


class BioExpertNode:
    def __init__(self, deps: NodeDeps) -> None:
        self.deps = deps

    def __call__(self, state: AgentState, runtime: Any = None) -> dict:
        from biopipelines.nodes.offline.bio_expert import answer_biology

        started = now()
        question = state["request"]
        retriever = self.deps.retriever
        hits = retriever.search(question, k=CONTEXT_HITS)
        served = call_structured(
            self.deps.tiers(ROLE, run_context(runtime)), ExpertAnswer,
            [SystemMessage(render_prompt("bio_expert", context=format_context(hits))), HumanMessage(question)],
            offline=lambda: answer_biology(question, retriever), role=ROLE, check=citation_check(hits),
            deadline=state.get("deadline"))
        answer: ExpertAnswer = served.value
        return {"expert": answer, "answer": answer_text(answer), "status": "not_a_workflow",
                "routes": [served.route(NODE, started, state["turn"])]}
