"""Map a free-text tool mention ("use Bowtie2", "something like Cell Ranger") to module ids of the library.

Two steps, strongest first:
1. name: the mention names a module's id, tool or alias, or failing that its tool family (compared as
   library.matching normalises names: case, spaces and hyphens never matter), as a whole or in any one- to
   three-word span of it;
2. similar: otherwise the retriever searches the knowledge base with the mention. A module card among the hits
   votes for its module; a method note among the hits (e.g. "Salmon and kallisto") votes, at half weight, for the
   modules whose tools it names, in full where a sentence names both ("Salmon or kallisto"). Votes decay with
   rank. This is how a tool the library lacks finds the module that does the same job.

A mention that neither names a module nor retrieves anything relevant gives an empty list: the planner then keeps
its default rather than acting on a guess.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING, Callable, Literal

from pydantic import BaseModel

from biopipelines.library.matching import normalize
from biopipelines.rag.tokens import split_sentences

if TYPE_CHECKING:
    from biopipelines.library import Library
    from biopipelines.rag.retriever import Hit, Retriever

SEARCH_DEPTH = 12
NOTE_WEIGHT = 0.5  # a method note naming a tool is weaker evidence than the tool's own card
REFERENCE_WEIGHT = 0.5  # "use Salmon" means quantification, not index building, unless the mention says "index"
DENSE_FLOOR = 0.45  # calibrated on MiniLM: a hit sharing no word with the mention must be at least this close

_LEAD_IN = re.compile(
    r"^\s*(?:please\s+)?(?:(?:i\s+(?:want|would\s+like)\s+to\s+)?use|try|with|using|run|prefer|go\s+with"
    r"|something\s+(?:like|similar\s+to)|(?:a\s+tool\s+)?similar\s+to|like|an?\s+alternative\s+to"
    r"|the\s+equivalent\s+of)\b\s*", re.IGNORECASE)
_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9+._-]*")


class ToolMatch(BaseModel):
    module_id: str
    tool: str
    how: Literal["name", "similar"]
    score: float  # 1.0 for a name match; otherwise the rank-decayed retrieval vote (only for ordering)
    evidence: list[str]  # card ids that linked the mention to the module


def mention_text(mention: str) -> str:
    """The tool part of a mention: lead-ins such as 'use' or 'something like' removed."""
    text = mention.strip().rstrip(".!?")
    while True:
        stripped = _LEAD_IN.sub("", text, count=1)
        if stripped == text:
            return text.strip()
        text = stripped


def _spans(text: str, longest: int = 3) -> list[str]:
    words = _WORD.findall(text)
    return [" ".join(words[i:i + n]) for n in range(min(longest, len(words)), 0, -1)
            for i in range(len(words) - n + 1)]


def _by_name(text: str, library: "Library", allowed: set[str]) -> list[ToolMatch]:
    """Modules named by the longest span of the mention that names any. A tool family ("samtools", "gatk") counts
    only when nothing is named exactly; a conda package a rule merely also installs never counts."""
    spans = [text, *_spans(text)]
    for names in (library.names, lambda m: [library.modules[m].family]):
        for span in spans:
            key = normalize(span)
            found = sorted(m for m in allowed if key and key in {normalize(n) for n in names(m)})
            if found:
                return [ToolMatch(module_id=m, tool=library.modules[m].tool, how="name", score=1.0, evidence=[])
                        for m in _prefer_main_steps(found, library, text)]
    return []


def _prefer_main_steps(module_ids: list[str], library: "Library", text: str) -> list[str]:
    """'use Bowtie2' means the aligner; its index is built because the aligner needs it. Reference-preparation
    modules are kept only when the mention asks for an index or nothing else matched."""
    if "index" in text.lower():
        return module_ids
    main = [m for m in module_ids if library.modules[m].scope != "reference"]
    return main or module_ids


def _words(text: str) -> str:
    return f" {' '.join(normalize(w) for w in _WORD.findall(text))} "


def _named_in(words: str, library: "Library", allowed: set[str]) -> set[str]:
    """Modules whose tool name or alias appears as whole words in a passage (given as _words)."""
    named = set()
    for module_id in allowed:
        if any(_words(name).strip() and _words(name) in words for name in library.names(module_id)[1:]):
            named.add(module_id)
    return named


def _votes(hit: "Hit", mention: str, library: "Library", allowed: set[str]) -> dict[str, float]:
    """One hit's votes: its own module card in full; a tool named in the same sentence as the mention in full
    ("Salmon or kallisto": the same job); a tool named elsewhere in a method note at NOTE_WEIGHT."""
    votes: dict[str, float] = {}
    if hit.card_id in allowed:
        votes[hit.card_id] = 1.0
    mention_words = _words(mention)
    for sentence in split_sentences(hit.text):
        words = _words(sentence)
        co_mentioned = mention_words.strip() and mention_words in words
        weight = 1.0 if co_mentioned else (NOTE_WEIGHT if hit.card_id not in library.modules else 0.0)
        for module_id in _named_in(words, library, allowed):
            votes[module_id] = max(votes.get(module_id, 0.0), weight)
    return {m: w for m, w in votes.items() if w > 0}


def _relevant(hit: "Hit") -> bool:
    return hit.bm25_score > 0 or hit.dense_score >= DENSE_FLOOR


def lookup_tool(mention: str, library: "Library", retriever: "Retriever", k: int = 3,
                candidates: set[str] | None = None) -> list[ToolMatch]:
    """Up to k modules for a tool mention, best first; `candidates` limits the answer to some module ids (e.g. the
    alternatives of one recipe step)."""
    allowed = set(library.modules) if candidates is None else set(candidates) & set(library.modules)
    text = mention_text(mention)
    if not text or not allowed:
        return []
    named = _by_name(text, library, allowed)
    if named:
        return named[:k]
    wants_index = "index" in text.lower()
    votes: dict[str, float] = {}
    evidence: dict[str, list[str]] = {}
    # Passages, not cards: the passage of a note that names the mention may not be the one naming the alternatives.
    for rank, hit in enumerate(retriever.search(text, k=SEARCH_DEPTH, dedupe=False)):
        if not _relevant(hit):
            continue
        for module_id, weight in _votes(hit, text, library, allowed).items():
            scale = REFERENCE_WEIGHT if library.modules[module_id].scope == "reference" and not wants_index else 1.0
            votes[module_id] = votes.get(module_id, 0.0) + weight * scale / (rank + 1)
            evidence.setdefault(module_id, []).append(hit.card_id)
    ranked = sorted(votes, key=lambda m: (-votes[m], m))[:k]
    return [ToolMatch(module_id=m, tool=library.modules[m].tool, how="similar", score=round(votes[m], 4),
                      evidence=list(dict.fromkeys(evidence[m]))) for m in ranked]


class Resolution(BaseModel):
    """Requested tool names after look-up, and one note per name that was replaced, for the plan's notes."""

    tools_requested: list[str]
    notes: list[str]


@lru_cache(maxsize=4)  # keyed on the Library object: its recipes are fixed once loaded
def _step_words(library: "Library") -> frozenset[str]:
    """Names the planner reads as steps ("trimming", "qc"), which must not be turned into tools."""
    return frozenset(normalize(word) for recipe in library.recipes.values() for step in recipe.steps
            for word in [step.id, *step.markers])


def resolve_requested(tools_requested: list[str], library: "Library",
                      get_retriever: Callable[[], "Retriever"]) -> Resolution:
    """Replace each requested name the library does not know ("kallisto") by the module that does the same job,
    with a note saying so; names it knows, step names, and names nothing matches are kept as they are (the planner
    then explains honestly that it has no such tool). The retriever is fetched only when a name is unknown, so a
    request naming only library tools never loads the embedder."""
    steps = _step_words(library)
    resolved, notes = [], []
    for name in tools_requested:
        if name.lower().startswith("step:") or normalize(name) in steps or library.tool_index.match(name):
            resolved.append(name)
            continue
        matches = lookup_tool(name, library, get_retriever(), k=1)
        if not matches:
            resolved.append(name)
            continue
        best = matches[0]
        resolved.append(best.module_id)
        notes.append(f"{name} is not in the module library; using {best.tool} ({best.module_id}), which does the same "
                     f"job according to the knowledge cards {', '.join(best.evidence[:3])}.")
    return Resolution(tools_requested=list(dict.fromkeys(resolved)), notes=notes)
