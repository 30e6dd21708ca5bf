"""The offline bio expert: an extractive answer built from the knowledge-card passages that match the question.

No text is generated: the answer is a short selection of sentences from the retrieved cards, so every claim can be
traced to a cited card. When retrieval finds nothing close enough, the answer says so instead of quoting
something loosely related.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from pydantic import BaseModel

from biopipelines.core.schemas import Citation, ExpertAnswer
from biopipelines.rag.tokens import quotable_units, tokenize

if TYPE_CHECKING:
    from biopipelines.rag.retriever import Hit, Retriever

CANDIDATE_PASSAGES = 8
MAX_WORDS = 200
# Calibrated on all-MiniLM-L6-v2: on-topic questions score a top passage cosine of about 0.4-0.8, off-topic ones
# (cooking, weather) below 0.2. A passage sharing a content word with the question may sit a little lower.
DENSE_FLOOR = 0.40
DENSE_FLOOR_WITH_TERMS = 0.25
PASSAGE_MARGIN = 0.15  # passages this far below the best one are not quoted
LEXICAL_WEIGHT = 0.3
NEAR_DUPLICATE = 0.6
DECISION_BONUS = 0.1
# Hybrid retrieval ranks the right card first far more reliably than sentence similarity alone (recall tests), so
# the answer leans on that card and borrows from others only where their sentences match clearly better.
ANCHOR_BONUS = 0.15
RELATIVE_FLOOR = 0.75  # sentences scoring below this share of the best one would dilute a focused answer
_CHOICE_QUESTION = re.compile(r"\b(which|choose|rather|instead|vs\.?|versus|or|better|prefer)\b", re.I)
_DECISION_SENTENCE = re.compile(r"\b(choose|prefer\w*|default|instead|recommended|usual choice|when to|safe)\b", re.I)


class _Sentence(BaseModel):
    text: str
    card_id: str
    title: str
    passage_rank: int
    passage_similarity: float
    position: int
    score: float = 0.0


def _relevant(hits: list["Hit"], question: str) -> bool:
    """Close in meaning, or fairly close and sharing a content word with the question."""
    if max(h.dense_score for h in hits) >= DENSE_FLOOR:
        return True
    terms = set(tokenize(question))
    return any(h.dense_score >= DENSE_FLOOR_WITH_TERMS and terms & set(tokenize(f"{h.title} {h.text}"))
               for h in hits)


def _candidates(hits: list["Hit"]) -> list[_Sentence]:
    best = max(h.dense_score for h in hits)
    sentences: list[_Sentence] = []
    for rank, hit in enumerate(hits):
        if rank > 0 and hit.dense_score < best - PASSAGE_MARGIN and hit.bm25_score <= 0:
            continue
        for position, unit in enumerate(quotable_units(hit.text)):
            # Fragments ("Then annotate.") and lead-ins to a formula ("...gives:") say nothing on their own.
            if len(unit.split()) >= 4 and not unit.endswith(":"):
                sentences.append(_Sentence(text=unit, card_id=hit.card_id, title=hit.title, passage_rank=rank,
                                           passage_similarity=hit.dense_score, position=position))
    return sentences


def _score(sentences: list[_Sentence], question: str, retriever: "Retriever") -> None:
    """Cosine of sentence and of its passage to the question, plus the share of the question's words it contains."""
    cosine = retriever.embed_passages([s.text for s in sentences]) @ retriever.embed_query(question)
    weights = {term: retriever.term_weight(term) for term in set(tokenize(question))}
    total = sum(weights.values())
    wants_decision = bool(_CHOICE_QUESTION.search(question))
    anchor = min(sentences, key=lambda s: s.passage_rank).card_id
    for sentence, similarity in zip(sentences, cosine):
        # Rare words ("VQSR") say more about a match than words in half the corpus ("RNA-seq").
        words = set(tokenize(sentence.text))
        overlap = sum(w for term, w in weights.items() if term in words) / total if total else 0.0
        # Half of the score comes from the whole passage: a short sentence can match the question's words by chance,
        # while a passage about the topic keeps the answer anchored on the right card.
        score = 0.5 * float(similarity) + 0.5 * sentence.passage_similarity + LEXICAL_WEIGHT * overlap
        if sentence.card_id == anchor:
            score += ANCHOR_BONUS
        if wants_decision and _DECISION_SENTENCE.search(sentence.text):
            score += DECISION_BONUS  # "X or Y?" wants the sentences that say when to choose which
        sentence.score = score


def _jaccard(a: str, b: str) -> float:
    ta, tb = set(tokenize(a)), set(tokenize(b))
    return len(ta & tb) / len(ta | tb) if ta | tb else 0.0


def _select(sentences: list[_Sentence]) -> list[_Sentence]:
    chosen: list[_Sentence] = []
    words = 0
    ranked = sorted(sentences, key=lambda s: -s.score)
    floor = ranked[0].score * RELATIVE_FLOOR if ranked else 0.0
    for sentence in ranked:
        length = len(sentence.text.split())
        if all(c.card_id != sentence.card_id for c in chosen):
            length += len(sentence.title.split())  # a new card adds its title line to the answer
        if chosen and (words + length > MAX_WORDS or sentence.score < floor):
            continue
        if any(_jaccard(sentence.text, c.text) > NEAR_DUPLICATE for c in chosen):
            continue
        chosen.append(sentence)
        words += length
    return chosen


def _compose(chosen: list[_Sentence]) -> tuple[str, list[Citation]]:
    """One paragraph per card, cards in retrieval order, sentences in their original order within a card."""
    by_card: dict[str, list[_Sentence]] = {}
    for sentence in sorted(chosen, key=lambda s: (s.passage_rank, s.position)):
        by_card.setdefault(sentence.card_id, []).append(sentence)
    # Each paragraph names its card, since a module card's "When to choose it" only makes sense with its title.
    paragraphs = [f"[{group[0].title}] " + " ".join(s.text for s in group) for group in by_card.values()]
    citations = [Citation(card=card, title=group[0].title) for card, group in by_card.items()]
    return "\n\n".join(paragraphs), citations


def not_found(hits: list["Hit"]) -> ExpertAnswer:
    closest = f" The closest card, '{hits[0].title}', matched too weakly to rely on." if hits else ""
    return ExpertAnswer(answer="I could not find this in the knowledge base, so I cannot give a grounded answer."
                               + closest + " Try rephrasing with the method or tool names involved.")


def answer_biology(question: str, retriever: "Retriever") -> ExpertAnswer:
    """An extractive answer of at most ~200 words, citing exactly the cards its sentences come from."""
    return answer_from_passages(question, retriever.search(question, k=CANDIDATE_PASSAGES, dedupe=False), retriever)


def answer_from_passages(question: str, hits: list["Hit"], retriever: "Retriever") -> ExpertAnswer:
    """The extractive answer over passages already retrieved (and, for a caller that needs it, filtered)."""
    if not hits or not _relevant(hits, question):
        return not_found(hits)
    sentences = _candidates(hits)
    if not sentences:
        return not_found(hits)
    _score(sentences, question, retriever)
    answer, citations = _compose(_select(sentences))
    return ExpertAnswer(answer=answer, citations=citations)
