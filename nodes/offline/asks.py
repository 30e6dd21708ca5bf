"""Asks: the deliverables a request names, and which plan steps deliver them.

The vocabulary is nodes/offline/data/asks.yaml. Coverage is read from module metadata: a step delivers an ask when
its module has an output of one of the ask's port types, or its recipe step carries one of the ask's markers. A request whose asks are all covered is `validated`; one
with an uncovered ask is `partial`, and the README and the answer open with what is not done.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from biopipelines.core.schemas import AskCoverage, WorkflowPlan
from biopipelines.core.yaml_files import read_yaml
from biopipelines.nodes.offline.textnorm import normalise

ASKS_FILE = Path(__file__).resolve().parent / "data" / "asks.yaml"


class AskKind(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z0-9_]+$")
    label: str
    re: str
    delivered_by: list[str]
    markers: list[str] = Field(default_factory=list)  # recipe step markers that deliver it too
    todo: str | None = None
    # analysis type -> the words that really ask for this deliverable there: in that assay the ask's own words
    # usually name the input ("a pan-genome of 200 assemblies"), so the ask counts only when these match too
    input_of: dict[str, str] = Field(default_factory=dict)


class ContrastRule(BaseModel):
    """A two-group design asks for the assay's own comparison (see asks.yaml)."""
    model_config = ConfigDict(extra="forbid", frozen=True)

    re: str
    implies: dict[str, str]  # analysis type -> ask id


class AskVocabulary(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    contrast: ContrastRule
    asks: list[AskKind]


@lru_cache(maxsize=1)
def load_vocabulary() -> AskVocabulary:
    vocabulary = AskVocabulary.model_validate(read_yaml(ASKS_FILE))
    unknown = set(vocabulary.contrast.implies.values()) - {kind.id for kind in vocabulary.asks}
    if unknown:
        raise ValueError(f"{ASKS_FILE.name}: contrast implies unknown ask ids: {sorted(unknown)}")
    return vocabulary


@lru_cache(maxsize=1)
def load_asks() -> tuple[tuple[AskKind, re.Pattern[str]], ...]:
    return tuple((kind, re.compile(kind.re)) for kind in load_vocabulary().asks)


@lru_cache(maxsize=1)
def _contrast_pattern() -> re.Pattern[str]:
    return re.compile(load_vocabulary().contrast.re)


# Work the user says is already done ("we've done SNVs already", "we have already called the variants") is
# context, not a deliverable: it is masked before asks are read.
DONE_ALREADY = re.compile(r"\b(we|i) ?(ve|have)? (already )?(done|called|got|finished) [^.,;]{1,40}? already\b"
                          r"|\b(we|i) ?(ve|have) already (done|called|got|finished) [^.,;]{1,40}")


def read_asks(request: str, analysis_type: str | None = None, conditions: list[str] = ()) -> list[AskKind]:
    """The asks the request names, in vocabulary order; with the `analysis_type`, also the comparison that a
    two-group design implies for it (two `conditions` read from the request, or contrast wording)."""
    text = DONE_ALREADY.sub(" ", normalise(request))
    implied = load_vocabulary().contrast.implies.get(analysis_type or "")
    compared = implied is not None and (len(conditions) >= 2 or bool(_contrast_pattern().search(text)))
    return [kind for kind, pattern in load_asks()
            if (pattern.search(text) and _asked_here(kind, analysis_type, text)) or (compared and kind.id == implied)]


def _asked_here(kind: AskKind, analysis_type: str | None, text: str) -> bool:
    """False where the ask's words name the assay's input, not a deliverable (see `AskKind.input_of`)."""
    requires = kind.input_of.get(analysis_type or "")
    return requires is None or re.search(requires, text) is not None


def known_ask_ids() -> tuple[str, ...]:
    return tuple(kind.id for kind, _ in load_asks())


def coverage(asks: list[AskKind], plan: WorkflowPlan, library) -> list[AskCoverage]:
    """Each ask with the plan steps whose module outputs one of its port types, or whose recipe step carries one
    of its markers (empty: not delivered)."""
    recipe = library.recipes.get(plan.recipe)
    markers = {s.id: set(s.markers) for s in recipe.steps} if recipe else {}
    produced = {step.step: {port.type for port in library.modules[step.module].outputs} for step in plan.steps}

    def delivers(step: str, kind: AskKind) -> bool:
        return bool(produced[step] & set(kind.delivered_by) or markers.get(step, set()) & set(kind.markers))

    return [AskCoverage(ask=kind.id, label=kind.label, todo=kind.todo,
                        covered_by=[step for step in produced if delivers(step, kind)])
            for kind in asks]



def _step_delivers(step, kind: AskKind, library) -> bool:
    outputs = {port.type for port in library.modules[step.default].outputs}
    return bool(outputs & set(kind.delivered_by) or set(step.markers) & set(kind.markers))


def _excluded_markers(excluded: list[str]) -> set[str]:
    from biopipelines.library.matching import step_marker

    return {marker for name in excluded if (marker := step_marker(name))}


def steps_for_asks(asks: list[AskKind], analysis_type: str, library, excluded: list[str]) -> list[str]:
    """`step:<marker>` requests that turn on the recipe's optional steps delivering an ask that may be off: off by
    default (Hi-C loop calling) or off for builds lacking a resource it needs (SnpEff annotation): what the library
    can deliver is delivered when asked for. A step the user excluded stays off."""
    from biopipelines.library.matching import STEP_PREFIX

    recipe = library.recipes.get(analysis_type)
    off = _excluded_markers(excluded)
    return [STEP_PREFIX + step.markers[0] for step in (recipe.steps if recipe else [])
            if step.optional and (not step.enabled or step.needs) and step.markers and not off & set(step.markers)
            and any(_step_delivers(step, kind, library) for kind in asks)]


def declined_asks(asks: list[AskKind], analysis_type: str, library, excluded: list[str]) -> set[str]:
    """Ids of the asks the user turned down: every recipe step delivering one is excluded ("no loop calling" names
    the loops it declines, which is no ask left undone)."""
    recipe = library.recipes.get(analysis_type)
    off = _excluded_markers(excluded)
    if recipe is None or not off:
        return set()
    declined = set()
    for kind in asks:
        steps = [step for step in recipe.steps if _step_delivers(step, kind, library)]
        if steps and all(off & set(step.markers) for step in steps):
            declined.add(kind.id)
    return declined
