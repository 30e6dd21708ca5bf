"""The rule-based safety path: config/safety.yaml compiled once, applied to a request.

Refusals fail closed and say why; redactions replace the match and let the turn go on; `review` matches mark the
request as ambiguous so the guard model (when configured) decides.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, ValidationError

from graph.errors import ConfigError
from graph.settings import CONFIG_DIR, read_yaml

CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


class InputRule(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str
    category: str
    action: Literal["refuse", "review"]
    pattern: str
    message: str


class Redaction(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str
    category: str
    pattern: str
    replacement: str


class SafetyRules(BaseModel):
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

    def apply(self, text: str) -> RuleOutcome:
        outcome = RuleOutcome(text=text)
        for rule, pattern in zip(self.rules.redactions, self.redaction_patterns):
            new_text = pattern.sub(rule.replacement, outcome.text)
            if new_text != outcome.text:
                outcome.text = new_text
                outcome.redacted.append(rule)
        for rule, pattern in zip(self.rules.input_rules, self.input_patterns):
            if pattern.search(outcome.text):
                (outcome.refused if rule.action == "refuse" else outcome.review).append(rule)
        return outcome


def strip_control_chars(text: str) -> str:
    return CONTROL_CHARS.sub("", text)


@lru_cache(maxsize=4)
def load_rules(path: Path = CONFIG_DIR / "safety.yaml") -> CompiledRules:
    try:
        rules = SafetyRules.model_validate(read_yaml(path))
    except ValidationError as exc:
        err = exc.errors()[0]
        raise ConfigError(f"{path}: {'.'.join(map(str, err['loc']))}: {err['msg']}") from None
    try:
        inputs = tuple(re.compile(r.pattern, re.IGNORECASE) for r in rules.input_rules)
        redactions = tuple(re.compile(r.pattern, re.IGNORECASE) for r in rules.redactions)
    except re.error as exc:
        raise ConfigError(f"{path}: bad pattern: {exc}") from None
    return CompiledRules(rules, inputs, redactions)


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
            return False, cats
    raise ValueError(f"not a Llama Guard verdict: {text[:80]!r}")
