"""Weighted regex evidence for intents and analysis types (intents.yaml, assays.yaml, the tool registry's `implies`).

A label's score is its strongest matching pattern plus 0.3 x the other matching ones: one specific marker outweighs
several generic hints, and corroborating hints still add a little.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from biopipelines.nodes.offline.lexicon import Lexicon, WeightedPattern
from biopipelines.nodes.offline.textnorm import FuzzyVocabulary, normalise
from biopipelines.nodes.offline.tool_mentions import ToolMatcher

SECONDARY_WEIGHT = 0.3


@dataclass(frozen=True)
class PatternEvidence:
    normalised: str
    intents: dict[str, float]
    analysis_types: dict[str, float]


def _combine(weights: list[float]) -> float:
    if not weights:
        return 0.0
    top = max(weights)
    return top + SECONDARY_WEIGHT * (sum(weights) - top)


class PatternScorer:
    """Scores a message against the intent and assay patterns."""

    def __init__(self, lexicon: Lexicon, tools: ToolMatcher) -> None:
        self._tools = tools
        self._fuzzy = FuzzyVocabulary(lexicon.assays.fuzzy_vocabulary)
        self._intents = self._compile(lexicon.intents.intents)
        self._assays = self._compile(lexicon.assays.analysis_types)
        self.analysis_types = lexicon.analysis_types

    @staticmethod
    def _compile(table: dict[str, list[WeightedPattern]]) -> dict[str, list[tuple[float, re.Pattern[str]]]]:
        return {label: [(p.w, re.compile(p.re)) for p in patterns] for label, patterns in table.items()}

    @staticmethod
    def _score(table: dict[str, list[tuple[float, re.Pattern[str]]]], text: str) -> dict[str, list[float]]:
        hits: dict[str, list[float]] = {}
        for label, patterns in table.items():
            for weight, pattern in patterns:
                if pattern.search(text):
                    hits.setdefault(label, []).append(weight)
        return hits

    def normalise(self, text: str) -> str:
        return self._fuzzy.correct_text(normalise(text))

    def evidence(self, text: str, not_tools: list[tuple[int, int]] = ()) -> PatternEvidence:
        """Pattern scores for `text` (raw user text; tool names are matched on it before normalisation). Spans in
        `not_tools` (organisms named like a tool) imply no assay."""
        norm = self.normalise(text)
        intent_hits = self._score(self._intents, norm)
        assay_hits = self._score(self._assays, norm)
        seen: set[str] = set()
        for mention in self._tools.mentions(text):
            if mention.is_step or mention.id in seen or any(s < mention.end and mention.start < e for s, e in not_tools):
                continue
            seen.add(mention.id)
            for slug, weight in self._tools.implies.get(mention.id, {}).items():
                assay_hits.setdefault(slug, []).append(weight)
        return PatternEvidence(
            normalised=norm,
            intents={label: _combine(w) for label, w in intent_hits.items()},
            analysis_types={label: _combine(w) for label, w in assay_hits.items()},
        )
