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


class AskVocabulary(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    asks: list[AskKind]


@lru_cache(maxsize=1)
def load_asks() -> tuple[tuple[AskKind, re.Pattern[str]], ...]:
    vocabulary = AskVocabulary.model_validate(read_yaml(ASKS_FILE))
    return tuple((kind, re.compile(kind.re)) for kind in vocabulary.asks)


def read_asks(request: str) -> list[AskKind]:
    """The asks the request names, in vocabulary order."""
    text = normalise(request)
    return [kind for kind, pattern in load_asks() if pattern.search(text)]


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
