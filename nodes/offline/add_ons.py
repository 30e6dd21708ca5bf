"""Add-on analyses: an uncovered analysis named as a step after a covered one becomes an ask of the covered one.

"Assemble 8 MRSA isolates, then tell me the ST and resistance genes" is an assembly request with two asks the
assembly workflow does not deliver (status `partial`), not a typing request (status `unsupported`). The rules are
data (nodes/offline/data/add_ons.yaml); this module only applies them to the pattern scores.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from biopipelines.core.yaml_files import read_config

ADD_ONS_FILE = Path(__file__).resolve().parent / "data" / "add_ons.yaml"


class AddOn(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    after: list[str]  # covered analysis types that feed this one
    asks: list[str]  # ask ids that stand for the add-on inside the covered workflow
    requires: str  # the request asks to make the upstream output itself
    unless: str  # the request starts from the add-on's own input


class AddOnRules(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    upstream_points: float
    add_ons: dict[str, AddOn]


@lru_cache(maxsize=1)
def load_add_ons() -> tuple[AddOnRules, dict[str, tuple[re.Pattern[str], re.Pattern[str]]]]:
    rules = read_config(AddOnRules, ADD_ONS_FILE)
    return rules, {slug: (re.compile(rule.requires), re.compile(rule.unless)) for slug, rule in rules.add_ons.items()}


def defer_add_ons(points: dict[str, float], normalised: str, asks: set[str]) -> dict[str, float]:
    """The pattern scores with every add-on dropped whose upstream analysis the request also names strongly, and
    one of whose asks it names, when it asks to make the upstream output and does not start from the add-on's input."""
    rules, patterns = load_add_ons()
    kept = dict(points)
    for slug, rule in rules.add_ons.items():
        requires, unless = patterns[slug]
        if (kept.get(slug, 0.0) <= 0.0 or not asks & set(rule.asks) or not requires.search(normalised)
                or unless.search(normalised)):
            continue
        if max((points.get(up, 0.0) for up in rule.after), default=0.0) >= rules.upstream_points:
            kept[slug] = 0.0
    return kept
