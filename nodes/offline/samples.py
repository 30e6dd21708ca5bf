"""Experimental design from free text: the conditions contrasted and the number of samples.

Rules (see also nodes/offline/data/conditions.yaml):
- Conditions come from contrasts ("3 KO vs 3 WT", "treated versus control", "between tumour and normal",
  "compare infected with mock", "tumour/normal" where both sides are known conditions). A side containing a known
  alias gives that alias's id; otherwise its nearest one or two content words, joined by "_". Only "vs"/"versus"
  contrasts may name conditions outside the vocabulary ("day 0 vs day 7"); "compared to", "against", "between",
  "compare" and "/" need known conditions on both sides. Tool names and genome builds are never conditions
  (the caller masks them: "STAR vs HISAT2" compares tools).
- sample_count, first rule that applies:
  1. an explicit total: "6 samples", "twelve mice", "6 paired-end mouse liver samples", "4 tumour/normal pairs"
     (a pair counts 2, a trio 3), "n = 12" -- unless the number sits inside a contrast or is per group;
  2. the counts on both sides of contrasts: "3 knockout vs 3 wild type" -> 6, "3 vs 3 vs 3" -> 9;
  3. replicates per group times the number of groups: "three replicates per condition" with two conditions -> 6,
     "in triplicate" likewise; the number of groups is stated ("2 conditions") or the number of conditions found.
  Otherwise None: a count is never guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from biopipelines.nodes.offline.lexicon import ConditionLexicon

_CONTRAST = re.compile(r"\s+(?:vs\.?|versus|v\.|compared\s+(?:to|with)|against)\s+", re.IGNORECASE)
_STRONG_CONTRAST = re.compile(r"vs\.?|versus|v\.", re.IGNORECASE)
_BETWEEN = re.compile(r"\b(?:between|compare|comparing)\s+(?P<a>[^,.;:!?]+?)\s+(?:and|with|to|vs\.?|versus)\s+"
                      r"(?P<b>[^,.;:!?]+?)(?=\s*(?:[,.;:!?]|$|\b(?:in|from|using|with|for|on|at|samples?)\b))",
                      re.IGNORECASE)
_CLAUSE_EDGE = re.compile(r"[,.;:!?()\n]")
_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9&+\-']*")
_N_EQUALS = re.compile(r"\bn\s*=\s*(\d+)\b(?!\s*(?:per|each|/|in each|for each))", re.IGNORECASE)
_PER_GROUP = re.compile(r"^\s*(?:each|apiece|per\s+\w+|in\s+each(?:\s+\w+)?|for\s+each(?:\s+\w+)?|"
                        r"of\s+each(?:\s+\w+)?)\b", re.IGNORECASE)
_GROUP_WORDS = r"(?:conditions|groups|genotypes|treatments|arms|timepoints|time\s+points|strains)"
_IN_REPLICATE = re.compile(r"\bin\s+(duplicate|triplicate|quadruplicate)\b", re.IGNORECASE)


def _squash(text: str) -> str:
    return re.sub(r"[\s\-/]+", "", text.lower())


@dataclass(frozen=True)
class Design:
    conditions: list[str]
    sample_count: int | None


class DesignReader:
    """Reads conditions and sample counts with the vocabulary of conditions.yaml."""

    def __init__(self, lexicon: ConditionLexicon) -> None:
        self._numbers = {k.lower(): v for k, v in lexicon.numbers.items()}
        self._stop = {w.lower() for w in lexicon.condition_stopwords}
        aliases = sorted(((a, c.id) for c in lexicon.conditions for a in c.aliases), key=lambda p: -len(p[0]))
        self._alias_ids = {a.lower(): i for a, i in aliases}
        self._squashed_ids = {_squash(a): i for a, i in aliases}
        self._known_ids = set(self._squashed_ids.values())
        body = "|".join(r"[\s\-]?".join(re.escape(w) for w in re.split(r"[\s\-]+", a)) for a, _ in aliases)
        self._alias_re = re.compile(rf"(?<![A-Za-z0-9])(?:{body})(?![A-Za-z0-9])", re.IGNORECASE)
        number = "|".join(sorted((re.escape(k) for k in self._numbers), key=len, reverse=True))
        self._number_re = rf"(?:\d+|{number})"

        def nouns(words: list[str]) -> str:
            return "|".join(sorted((r"[\s\-/]?".join(re.escape(p) for p in re.split(r"[\s\-/]+", w)) for w in words),
                                   key=len, reverse=True))

        # up to four describing words between the number and the noun ("6 paired-end mouse liver samples"), but
        # never a unit phrase: "10000 cells per sample" counts cells, not samples
        gap = r"(?:(?!(?:per|each|of|in|from|for)\b)[A-Za-z][\w\-&/]*\s+){0,4}?"
        lead = r"(?<![\w.\-])"  # "K-12 isolates" is a strain name, not twelve isolates
        self._total_re = re.compile(
            rf"{lead}(?P<n>{self._number_re})\s+{gap}(?P<noun>{nouns(lexicon.sample_nouns)})\b", re.IGNORECASE)
        self._group_sizes = {_squash(k): v for k, v in lexicon.group_nouns.items()}
        self._groups_of_re = re.compile(
            rf"{lead}(?P<n>{self._number_re})\s+{gap}(?P<noun>{nouns(list(lexicon.group_nouns))})\b", re.IGNORECASE)
        self._replicates_re = re.compile(
            rf"(?<![\w.])(?P<n>{self._number_re})\s+(?:[A-Za-z][\w\-]*\s+){{0,2}}?"
            rf"(?:{nouns(lexicon.replicate_nouns)}|samples|mice|animals)\b"
            rf"(?=\s*(?:each|apiece|per|in each|for each|of each))",
            re.IGNORECASE)
        self._groups_re = re.compile(
            rf"(?<![\w.])(?P<n>{self._number_re})\s+(?:\w+\s+)?{_GROUP_WORDS}\b", re.IGNORECASE)

    # --- numbers -------------------------------------------------------------------------------------------
    def _value(self, word: str) -> int | None:
        word = word.lower()
        if word.isdigit():
            return int(word)
        return self._numbers.get(word)

    def _is_number(self, word: str) -> bool:
        return self._value(word) is not None

    # --- conditions ----------------------------------------------------------------------------------------
    def _name(self, words: list[str]) -> str | None:
        """A known condition's id when the phrase holds an alias, else the words themselves in snake_case."""
        if not words:
            return None
        match = self._alias_re.search(" ".join(words))
        if match:
            return self._squashed_ids[_squash(match.group(0))]
        return "_".join(re.sub(r"[^a-z0-9]+", "_", w.lower()).strip("_") for w in words)

    def _side(self, tokens: list[str], leftward: bool) -> tuple[str | None, int | None]:
        """(condition, count) from one side's tokens, ordered outward from the separator."""
        count: int | None = None
        words: list[str] = []
        i = 0
        if tokens and self._is_number(tokens[0]):
            if leftward and len(tokens) > 1 and self._content(tokens[1]):
                words.append(tokens[0])  # "day 0 vs day 7": the number is part of the name
            else:
                count = self._value(tokens[0])
            i = 1
        while not words and i < len(tokens) and not self._content(tokens[i]) and not self._is_number(tokens[i]):
            i += 1  # "knockout mice vs": skip the describing words next to the separator
        while i < len(tokens) and len(words) < 2:
            tok = tokens[i]
            if self._content(tok) or (not leftward and words and self._is_number(tok)):
                words.append(tok)
                i += 1
            else:
                break
        if leftward:
            if count is None and i < len(tokens) and self._is_number(tokens[i]):
                count = self._value(tokens[i])
            words.reverse()
        return self._name(words), count

    def _content(self, token: str) -> bool:
        low = token.lower()
        return low not in self._stop and not self._is_number(token) and (low in self._alias_ids or len(low) > 1)

    def _contrasts(self, text: str) -> tuple[list[str], list[int], list[tuple[int, int]]]:
        conditions: list[str] = []
        counts: list[int] = []
        spans: list[tuple[int, int]] = []
        seps = list(_CONTRAST.finditer(text))
        groups: list[list[re.Match[str]]] = []
        for sep in seps:
            # separators in one clause chain together: "control vs drug A vs drug B"
            if groups and not _CLAUSE_EDGE.search(text[groups[-1][-1].end():sep.start()]):
                groups[-1].append(sep)
            else:
                groups.append([sep])
        for chain in groups:
            start = self._clause_start(text, chain[0].start())
            end = self._clause_end(text, chain[-1].end())
            left = _TOKEN.findall(text[start:chain[0].start()])[::-1]
            name, count = self._side(left, leftward=True)
            sides = [(name, count)]
            for k, sep in enumerate(chain):
                stop = chain[k + 1].start() if k + 1 < len(chain) else end
                sides.append(self._side(_TOKEN.findall(text[sep.end():stop]), leftward=False))
            names = [name for name, _ in sides]
            # a contrast names conditions only when every side has a name; after the weak separators
            # ("compared to", "against": "align against GRCh38") every side must be a known condition
            weak = any(not _STRONG_CONTRAST.fullmatch(sep.group(0).strip()) for sep in chain)
            if all(names) and (not weak or all(n in self._known_ids for n in names)):
                conditions.extend(n for n in names if n and n not in conditions)
            if all(c is not None for _, c in sides):
                counts.extend(c for _, c in sides if c is not None)
            spans.append((start, end))
        return conditions, counts, spans

    @staticmethod
    def _clause_start(text: str, pos: int) -> int:
        edges = list(_CLAUSE_EDGE.finditer(text[:pos]))
        return edges[-1].end() if edges else 0

    @staticmethod
    def _clause_end(text: str, pos: int) -> int:
        edge = _CLAUSE_EDGE.search(text, pos)
        return edge.start() if edge else len(text)

    def _between(self, text: str) -> list[str]:
        found: list[str] = []
        for m in _BETWEEN.finditer(text):
            a = self._side(_TOKEN.findall(m.group("a"))[::-1], leftward=True)[0]
            b = self._side(_TOKEN.findall(m.group("b")), leftward=False)[0]
            if a and b and self._alias_re.search(m.group("a")) and self._alias_re.search(m.group("b")):
                found += [a, b]
        return found

    def _slash_pairs(self, text: str) -> list[str]:
        found: list[str] = []
        for m in re.finditer(r"(?<![\w/])([A-Za-z][\w\-]*)\s*/\s*([A-Za-z][\w\-]*)(?![\w/])", text):
            a, b = m.group(1), m.group(2)
            if a.lower() in self._alias_ids and b.lower() in self._alias_ids:
                found += [self._alias_ids[a.lower()], self._alias_ids[b.lower()]]
        return found

    # --- counts --------------------------------------------------------------------------------------------
    def _explicit_total(self, text: str, contrast_spans: list[tuple[int, int]]) -> int | None:
        candidates: list[tuple[int, int]] = []
        for m in self._groups_of_re.finditer(text):
            per = self._group_sizes[_squash(m.group("noun"))]
            value = self._value(m.group("n"))
            if value is not None and not _PER_GROUP.match(text[m.end():]):
                candidates.append((m.start(), value * per))
        for m in self._total_re.finditer(text):
            value = self._value(m.group("n"))
            inside = any(s <= m.start() < e for s, e in contrast_spans)
            if value is None or inside or _PER_GROUP.match(text[m.end():]):
                continue
            if any(m.start() <= p < m.end() for p, _ in candidates):
                continue
            candidates.append((m.start(), value))
        for m in _N_EQUALS.finditer(text):
            candidates.append((m.start(), int(m.group(1))))
        return min(candidates)[1] if candidates else None

    def _per_group(self, text: str) -> int | None:
        m = self._replicates_re.search(text)
        if m:
            return self._value(m.group("n"))
        m = _IN_REPLICATE.search(text)
        if m:
            return self._value(m.group(1))
        m = re.search(r"\bn\s*=\s*(\d+)\s*(?:per|each|in each|for each)\b", text, re.IGNORECASE)
        return int(m.group(1)) if m else None

    def read(self, text: str) -> Design:
        conditions, counts, spans = self._contrasts(text)
        for extra in self._between(text) + self._slash_pairs(text):
            if extra not in conditions:
                conditions.append(extra)
        total = self._explicit_total(text, spans)
        if total is None and len(counts) >= 2:
            total = sum(counts)
        if total is None:
            per_group = self._per_group(text)
            stated = self._groups_re.search(text)
            n_groups = self._value(stated.group("n")) if stated else (len(conditions) if len(conditions) >= 2 else None)
            if per_group is not None and n_groups:
                total = per_group * n_groups
        return Design(conditions=conditions, sample_count=total)
