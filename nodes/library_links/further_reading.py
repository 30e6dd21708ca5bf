"""Method notes to cite in a generated workflow's README: the knowledge cards about the tools the plan uses.

A note is linked to a module when one of the note's tags names the module's id, tool, family or an alias (the
cards tag the tools they discuss: de-tool-choice carries `deseq2`, `edger`, `limma`). This is a lexical link and
deliberately so (the recipe's topic tag fills remaining room): the README must be rendered without loading an
embedding model, and a tag is a claim the card's author made, so every cited note is about a tool the workflow
really runs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pydantic import BaseModel

from biopipelines.library.matching import normalize
from biopipelines.rag.corpus import KNOWLEDGE_DIR, load_cards

if TYPE_CHECKING:
    from biopipelines.library import Library
    from biopipelines.rag.corpus import Card

MAX_NOTES = 8


class Reading(BaseModel):
    card_id: str
    title: str
    doi: str | None = None
    path: str  # where the note lives in this repository, so a reader of the README can open it
    tools: list[str]  # the workflow's tools the note discusses


def further_reading(module_ids: list[str], library: "Library", topic: str | None = None,
                    cards: list["Card"] | None = None, limit: int = MAX_NOTES) -> list[Reading]:
    """Notes about the given modules' tools, those covering most of the workflow's tools first; then, while there
    is room, notes tagged with the analysis topic (`chipseq` for the chipseq_peaks recipe)."""
    names: dict[str, str] = {}  # normalised name -> tool
    for module_id in module_ids:
        module = library.modules.get(module_id)
        if module is None:
            continue
        for name in [module.id, module.tool, module.family, *library.names(module_id)[2:]]:
            names.setdefault(normalize(name), module.tool)
    cards = load_cards(sorted(KNOWLEDGE_DIR.glob("*.md"))) if cards is None else cards
    found = []
    for card in cards:
        tools = sorted({names[t] for t in (normalize(tag) for tag in card.tags) if t in names})
        on_topic = bool(topic) and normalize(topic or "") in {normalize(tag) for tag in card.tags}
        if tools or on_topic:
            found.append((on_topic, Reading(card_id=card.id, title=card.title, doi=card.doi,
                                            path=f"rag/knowledge/{card.id}.md", tools=tools)))
    found.sort(key=lambda item: (-len(item[1].tools), not item[0], item[1].card_id))
    return [reading for _, reading in found[:limit]]
