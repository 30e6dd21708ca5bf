"""What bio_expert and math_expert share: retrieval context for the prompt, and a citation check."""

from __future__ import annotations

from biopipelines.graph.schemas import ExpertAnswer

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
