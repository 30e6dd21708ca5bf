"""math_expert: statistics questions (replicates, power, multiple testing) with real computations.

The offline tier computes the figures. The LLM tier gets those figures as calculator output and explains them; it
never replaces the numbers with its own arithmetic.
"""

from __future__ import annotations

from langchain_core.messages import HumanMessage, SystemMessage
from langgraph.runtime import Runtime

from biopipelines.core.schemas import ExpertAnswer
from biopipelines.llm.chain import call_structured
from biopipelines.nodes.common import NO_RUNTIME, now
from biopipelines.nodes.deps import NodeDeps
from biopipelines.nodes.experts import CONTEXT_HITS, answer_text, citation_check, format_context
from biopipelines.nodes.prompts import render_prompt
from biopipelines.nodes.state import AgentState, RunContext

NODE = "math_expert"
ROLE = "math"


class MathExpertNode:
    def __init__(self, deps: NodeDeps) -> None:
        self.deps = deps

    def __call__(self, state: AgentState, runtime: Runtime[RunContext] = NO_RUNTIME) -> dict:
        from biopipelines.nodes.offline.math_expert import answer_statistics

        started = now()
        question = state["request"]
        retriever = self.deps.retriever
        computed = answer_statistics(question, retriever)
        hits = retriever.search(question, k=CONTEXT_HITS)
        prompt = render_prompt("math_expert", calculation=computed.answer, context=format_context(hits))
        served = call_structured(
            self.deps.tiers(ROLE, runtime.context), ExpertAnswer, [SystemMessage(prompt), HumanMessage(question)],
            offline=lambda: computed, role=ROLE, check=citation_check(hits), deadline=state.get("deadline"))
        answer: ExpertAnswer = served.value
        return {"expert": answer, "answer": answer_text(answer), "status": "not_a_workflow",
                "routes": [served.route(NODE, started, state["turn"])]}
