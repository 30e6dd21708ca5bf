"""The rule-based safety path: config/safety.yaml compiled once, applied to a request or to generated output.

Refusals fail closed and say why; redactions replace the match and let the turn go on; `review` matches mark the
request as ambiguous so the guard model (when configured) decides. Llama Guard 3 answers are parsed strictly here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict

from biopipelines.core.errors import ConfigError
from biopipelines.core.settings import CONFIG_DIR
from biopipelines.core.yaml_files import read_config

# C0/C1 controls except tab and newline, DEL, zero-width and bidirectional overrides (used to hide text from
# reviewers: "Trojan Source"), and the byte-order mark.
CONTROL_CHARS = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
# Llama Guard 3's categories (S14: code interpreter abuse).
GUARD_CATEGORIES = {
    "S1": "violent crimes", "S2": "non-violent crimes", "S3": "sex crimes", "S4": "child exploitation",
    "S5": "defamation", "S6": "specialized advice", "S7": "privacy", "S8": "intellectual property",
    "S9": "indiscriminate weapons", "S10": "hate", "S11": "self-harm", "S12": "sexual content", "S13": "elections",
    "S14": "code interpreter abuse",
}
Scope = Literal["input", "output", "both"]


class InputRule(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str
    category: str
    action: Literal["refuse", "review"]
    pattern: str
    message: str
    ignore_case: bool = True


class Redaction(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str
    category: str
    pattern: str
    replacement: str
    scope: Scope = "both"
    ignore_case: bool = True


class SafetyRules(BaseModel):
    model_config = ConfigDict(extra="forbid")
    input_rules: list[InputRule]
    redactions: list[Redaction]


@dataclass
class RuleOutcome:
    text: str
    refused: list[InputRule] = field(default_factory=list)
    review: list[InputRule] = field(default_factory=list)
    redacted: list[Redaction] = field(default_factory=list)


@dataclass(frozen=True)
class CompiledRules:
    rules: SafetyRules
    input_patterns: tuple[re.Pattern, ...]
    redaction_patterns: tuple[re.Pattern, ...]

    def redact(self, text: str, side: Literal["input", "output"]) -> tuple[str, list[Redaction]]:
        """Apply the redactions whose scope covers `side`; the text and the redactions that matched."""
        hits = []
        for rule, pattern in zip(self.rules.redactions, self.redaction_patterns):
            if rule.scope not in (side, "both"):
                continue
            new_text = pattern.sub(rule.replacement, text)
            if new_text != text:
                text = new_text
                hits.append(rule)
        return text, hits

    def apply(self, text: str) -> RuleOutcome:
        """The input side: redact first (no model and no log sees a secret), then match the refuse/review rules."""
        redacted_text, redacted = self.redact(text, "input")
        outcome = RuleOutcome(text=redacted_text, redacted=redacted)
        for rule, pattern in zip(self.rules.input_rules, self.input_patterns):
            if pattern.search(outcome.text):
                (outcome.refused if rule.action == "refuse" else outcome.review).append(rule)
        return outcome

    def review_matches(self, text: str) -> list[InputRule]:
        return [rule for rule, pattern in zip(self.rules.input_rules, self.input_patterns)
                if rule.action == "review" and pattern.search(text)]


def strip_control_chars(text: str) -> str:
    return CONTROL_CHARS.sub("", text)


def _compile(pattern: str, ignore_case: bool) -> re.Pattern:
    return re.compile(pattern, re.IGNORECASE if ignore_case else 0)


@lru_cache(maxsize=4)
def load_rules(path: Path = CONFIG_DIR / "safety.yaml") -> CompiledRules:
    rules = read_config(SafetyRules, path)
    compiled: list[tuple[re.Pattern, ...]] = []
    for group in (rules.input_rules, rules.redactions):
        patterns = []
        for rule in group:
            try:
                patterns.append(_compile(rule.pattern, rule.ignore_case))
            except re.error as exc:
                raise ConfigError(f"{path}: rule {rule.id}: bad pattern: {exc}") from None
        compiled.append(tuple(patterns))
    return CompiledRules(rules, compiled[0], compiled[1])


def parse_guard_verdict(text: str) -> tuple[bool, list[str]]:
    """Parse Llama Guard 3's answer strictly: 'safe', or 'unsafe' then a line of S1..S14 categories."""
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    if not lines:
        raise ValueError("empty guard answer")
    head = lines[0].lower()
    if head == "safe" and len(lines) == 1:
        return True, []
    if head == "unsafe" and len(lines) == 2:
        cats = [c.strip().upper() for c in lines[1].split(",")]
        if cats and all(re.fullmatch(r"S(1[0-4]|[1-9])", c) for c in cats):
            return False, list(dict.fromkeys(cats))
    raise ValueError(f"not a Llama Guard verdict: {text[:80]!r}")


def describe_categories(categories: list[str]) -> str:
    """'S9 (indiscriminate weapons), S14 (code interpreter abuse)'."""
    return ", ".join(f"{c} ({GUARD_CATEGORIES[c]})" if c in GUARD_CATEGORIES else c for c in categories)
