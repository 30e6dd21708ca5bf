"""Tool and step mentions with their polarity: requested or excluded.

Rules (documented for the planner, tested in tests/unit/test_entities.py):
- A mention is excluded when a negation cue governs it: "instead of", "rather than", "not", "no", "without",
  "skip", "drop", "remove", "replace", "switch from", "don't use", ... directly before it, or "is not needed",
  "can be skipped", ... directly after it. Otherwise it is requested.
- A mention joined to the previous one by a list word (",", "or", "and", "nor", "/") takes that one's polarity:
  "no trimming or deduplication" excludes both.
- "replace STAR with HISAT2", "switch from STAR to HISAT2", "swap STAR for HISAT2": the first is excluded, the
  second requested (the joiners "with", "to", "for" do not carry the negation).
- Steps (steps.yaml) are reported as "step:<id>" and only when excluded or explicitly added
  ("add", "include", "enable", "with", "also run").
- Each id appears once, in order of first mention; excluded wins over requested.
- Requested tools joined by "or" offer a choice ("Bismark or bwa-meth + MethylDackel", "STAR, RSEM, HISAT2 or
  Salmon"): `choices` lists each such run as its alternatives, in the user's order, a combination joined by "+"
  (["bismark", "bwa_meth+methyldackel"]). A run joined by commas alone is a plain list, not a choice.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from biopipelines.nodes.offline.lexicon import ToolLexicon

Polarity = Literal["requested", "excluded"]

_NEGATION_BEFORE = re.compile(
    r"(?:\binstead\s+of|\brather\s+than|\bin\s+place\s+of|\bnot|\bno|\bwithout|\bskip(?:ping)?|\bexclud(?:e|ing)"
    r"|\bavoid(?:ing)?|\bdrop(?:ping)?|\bremov(?:e|ing)|\breplac(?:e|ing)|\bswap(?:ping)?(?:\s+out)?"
    r"|\bswitch(?:ing)?\s+(?:away\s+)?from|\bmove\s+away\s+from|\bdon'?t\s+(?:use|run|want|need|do)"
    r"|\bdo\s+not\s+(?:use|run|want|need|do)|\bnever\s+(?:use|run)|\bexcept|\bno\s+longer\s+(?:use|run)"
    r"|\bno\s+need\s+(?:for|to\s+run)|\bget\s+rid\s+of|\bditch|\bleave\s+out|\bomit(?:ting)?|\bdisable"
    r"|\bturn\s+off|\bwithout\s+running|\bnot\s+using)"
    r"(?:\s+(?:the|a|an|any|using|use|running|run|of|with|step|steps|tool))*\s*$",
    re.IGNORECASE,
)
_NEGATION_AFTER = re.compile(
    r"^\s*(?:step\s+)?(?:is|are)?\s*(?:not\s+needed|not\s+necessary|not\s+required|unnecessary|n'?t\s+needed"
    r"|isn'?t\s+needed|aren'?t\s+needed|can\s+be\s+(?:skipped|dropped|removed|omitted)"
    r"|should\s+be\s+(?:skipped|dropped|removed|omitted)|(?:is|are)\s+out)\b",
    re.IGNORECASE,
)
_ADD_BEFORE = re.compile(
    r"(?:\badd(?:ing)?|\binclude|\bincluding|\benable|\bturn\s+on|\bwith|\balso\s+(?:run|do)|\bplus|\bput\s+in"
    r"|\binsert|\bcall(?:ing)?|\bdetect(?:ing)?|\bidentify(?:ing)?)(?:\s+(?:a|an|the|some|back|step|in))*\s*$",
    re.IGNORECASE,
)
# a list joiner between two mentions carries the first one's polarity
_LIST_JOINER = re.compile(r"^\s*(?:,|/|\bor\b|\band\b|\bnor\b|,\s*(?:or|and)\b|&)\s*(?:the\s+)?$", re.IGNORECASE)
# between two alternatives of a choice ("A, B or C") and inside one alternative ("bwa-meth + MethylDackel")
_CHOICE_GAP = re.compile(r"^\s*(?:,|,?\s*\bor\b)\s*$", re.IGNORECASE)
_OR_GAP = re.compile(r"\bor\b", re.IGNORECASE)
_BUNDLE_GAP = re.compile(r"^\s*\+\s*$")
_CLAUSE_BREAK = re.compile(r"[.;:!?\n]|,\s*(?:but|then|and\s+then|so)\b|\bbut\b")


@dataclass(frozen=True)
class Mention:
    id: str  # "star" or "step:trimming"
    start: int
    end: int
    is_step: bool


def _alias_regex(alias: str) -> str:
    # a space, hyphen or underscore inside an alias matches any of them or nothing
    parts = re.split(r"[\s\-_]+", alias.strip())
    return r"[\s\-_]?".join(re.escape(p) for p in parts)


def _compile(entries: list[tuple[str, str, bool]]) -> tuple[re.Pattern[str] | None, dict[str, str]]:
    """One alternation, longest alias first, each alias in its own named group; case-insensitive unless marked."""
    if not entries:
        return None, {}
    by_key: dict[str, str] = {}
    parts: list[tuple[int, str]] = []
    for n, (ident, alias, case_sensitive) in enumerate(entries):
        key = f"a{n}"
        by_key[key] = ident
        body = _alias_regex(alias)
        parts.append((len(alias), f"(?P<{key}>{body})" if case_sensitive else f"(?P<{key}>(?i:{body}))"))
    parts.sort(key=lambda p: -p[0])
    alternation = "|".join(p for _, p in parts)
    return re.compile(rf"(?<![A-Za-z0-9])(?:{alternation})(?![A-Za-z0-9])"), by_key


class ToolMatcher:
    """Finds tool and step mentions in text and assigns each a polarity."""

    def __init__(self, lexicon: ToolLexicon) -> None:
        tool_entries = [(t.id, a, t.case_sensitive) for t in lexicon.tools for a in t.aliases]
        step_entries = [(f"step:{s.id}", a, False) for s in lexicon.steps for a in s.aliases]
        self._tools, self._tool_keys = _compile(tool_entries)
        self._steps, self._step_keys = _compile(step_entries)
        self.implies = {t.id: dict(t.implies) for t in lexicon.tools}

    def mentions(self, text: str) -> list[Mention]:
        """Non-overlapping mentions, tools before steps where they overlap, in text order."""
        found: list[Mention] = []
        taken: list[tuple[int, int]] = []

        def add(pattern: re.Pattern[str] | None, keys: dict[str, str], is_step: bool) -> None:
            if pattern is None:
                return
            for m in pattern.finditer(text):
                if any(m.start() < e and s < m.end() for s, e in taken):
                    continue
                found.append(Mention(keys[m.lastgroup or ""], m.start(), m.end(), is_step))
                taken.append((m.start(), m.end()))

        add(self._tools, self._tool_keys, False)
        add(self._steps, self._step_keys, True)
        return sorted(found, key=lambda m: m.start)

    def classify(self, text: str) -> tuple[list[str], list[str]]:
        """(requested, excluded) ids, following the module rules."""
        requested: list[str] = []
        excluded: list[str] = []
        previous: tuple[Mention, Polarity] | None = None
        previous_added = False
        for mention in self.mentions(text):
            joined = previous is not None and bool(_LIST_JOINER.match(text[previous[0].end:mention.start]))
            polarity = self._polarity(text, mention, previous, joined)
            prefix = self._clause_prefix(text, mention, previous)
            added = (joined and previous_added) or bool(_ADD_BEFORE.search(prefix))
            previous, previous_added = (mention, polarity), added
            if mention.is_step and polarity == "requested" and not added:
                continue
            target = excluded if polarity == "excluded" else requested
            if mention.id not in target:
                target.append(mention.id)
        requested = [i for i in requested if i not in excluded]
        return requested, excluded

    def choices(self, text: str, requested: list[str]) -> list[list[str]]:
        """Runs of requested tools offered as alternatives (see the module docstring), in text order."""
        tools = [m for m in self.mentions(text) if not m.is_step and m.id in requested]
        found: list[list[str]] = []
        run: list[list[Mention]] = []
        offers_choice = False
        for previous, mention in zip([None, *tools], tools):
            gap = text[previous.end:mention.start] if previous is not None else ""
            if previous is not None and _BUNDLE_GAP.match(gap):
                run[-1].append(mention)
            elif previous is not None and _CHOICE_GAP.match(gap):
                run.append([mention])
                offers_choice = offers_choice or bool(_OR_GAP.search(gap))
            else:
                if offers_choice:
                    found.append(["+".join(dict.fromkeys(m.id for m in option)) for option in run])
                run, offers_choice = [[mention]], False
        if offers_choice:
            found.append(["+".join(dict.fromkeys(m.id for m in option)) for option in run])
        return found

    @staticmethod
    def _clause_prefix(text: str, mention: Mention, previous: tuple[Mention, Polarity] | None) -> str:
        """The text between the previous mention (or the clause start) and this one."""
        prefix = text[previous[0].end if previous is not None else 0:mention.start]
        breaks = list(_CLAUSE_BREAK.finditer(prefix))
        return prefix[breaks[-1].end():] if breaks else prefix

    def _polarity(self, text: str, mention: Mention, previous: tuple[Mention, Polarity] | None,
                  joined: bool) -> Polarity:
        if _NEGATION_AFTER.match(text[mention.end:]):
            return "excluded"
        if joined and previous is not None:
            return previous[1]
        return "excluded" if _NEGATION_BEFORE.search(self._clause_prefix(text, mention, previous)) else "requested"
