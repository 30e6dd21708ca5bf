"""What the card-grounded nodes share (bio_expert, troubleshoot, and math_expert's context): retrieval context for
the prompt, a citation check, and the node that answers from cards."""

from __future__ import annotations

from typing import TYPE_CHECKING

from langchain_core.messages import HumanMessage, SystemMessage
from langgraph.runtime import Runtime

from biopipelines.core.schemas import ExpertAnswer
from biopipelines.llm.chain import call_structured
from biopipelines.nodes.common import NO_RUNTIME, now
from biopipelines.nodes.prompts import render_prompt
from biopipelines.nodes.state import RunContext

if TYPE_CHECKING:
    from biopipelines.nodes.state import AgentState
    from biopipelines.nodes.deps import NodeDeps
    from biopipelines.rag.retriever import Hit, Retriever

CONTEXT_HITS = 5


def format_context(hits: list) -> str:
    return "\n\n".join(f"[{h.card_id}] {h.title}\n{h.text}" for h in hits) or "(no cards found)"


def citation_check(hits: list):
    """An LLM answer may only cite cards it was shown; titles are taken from the cards, not the model."""
    titles = {h.card_id: h.title for h in hits}

    def check(answer: ExpertAnswer) -> ExpertAnswer:
        unknown = [c.card for c in answer.citations if c.card not in titles]
        if unknown:
            raise ValueError(f"cites cards it was not given: {', '.join(unknown)}")
        for citation in answer.citations:
            citation.title = titles[citation.card]
        return answer

    return check


def answer_text(answer: ExpertAnswer) -> str:
    if not answer.citations:
        return answer.answer
    sources = "; ".join(f"{c.title} [{c.card}]" for c in answer.citations)
    return f"{answer.answer}\n\nSources: {sources}"


class CardAnswerNode:
    """A node that answers from knowledge cards: the role's model with the retrieved cards as its only context, and
    an extractive answer from the same corpus as the offline tier. Subclasses say which cards and which role."""

    node: str
    role: str
    prompt: str

    def __init__(self, deps: "NodeDeps") -> None:
        self.deps = deps

    def passages(self, question: str, retriever: "Retriever") -> list["Hit"]:
        return retriever.search(question, k=CONTEXT_HITS)

    def offline(self, question: str, retriever: "Retriever") -> ExpertAnswer:
        raise NotImplementedError

    def __call__(self, state: "AgentState", runtime: Runtime[RunContext] = NO_RUNTIME) -> dict:
        started = now()
        question = state["request"]
        retriever = self.deps.retriever
        hits = self.passages(question, retriever)
        served = call_structured(
            self.deps.tiers(self.role, runtime.context), ExpertAnswer,
            [SystemMessage(render_prompt(self.prompt, context=format_context(hits))), HumanMessage(question)],
            offline=lambda: self.offline(question, retriever), role=self.role, check=citation_check(hits),
            deadline=state.get("deadline"))
        answer: ExpertAnswer = served.value
        return {"expert": answer, "answer": answer_text(answer), "status": "not_a_workflow",
                "routes": [served.route(self.node, started, state["turn"])]}
