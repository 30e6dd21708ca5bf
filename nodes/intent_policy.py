"""The intent node's escalation policy (config/intent.yaml): which model chain serves the intent call; the same
file holds the offline classifier's open-set thresholds (`open_set`, read by nodes/offline/intent.py).

The offline reading decides: a confident code task or simple question stays on the intent role's local model; a
low-confidence or multi-step request goes to the cloud first when the profile allows it, and otherwise to the
strongest local model (another role's endpoint, e.g. the planner's 7B) before the intent model. Each tier still
falls back down the chain, ending offline.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from biopipelines.core.schemas import IntentName, IntentResult
from biopipelines.core.settings import PACKAGE_ROOT
from biopipelines.core.yaml_files import read_yaml, validate
from biopipelines.llm.factory import TierModel

INTENT_CONFIG = PACKAGE_ROOT / "config" / "intent.yaml"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class EscalationThresholds(_Strict):
    code_local_above: float = Field(ge=0, le=1)
    question_local_above: float = Field(ge=0, le=1)
    escalate_below: float = Field(ge=0, le=1)
    strongest_local_role: str = Field(min_length=1)
    code_intents: tuple[IntentName, ...]
    question_intents: tuple[IntentName, ...]

    @model_validator(mode="after")
    def _disjoint(self) -> "EscalationThresholds":
        both = set(self.code_intents) & set(self.question_intents)
        if both:
            raise ValueError(f"intents listed as both code and question: {sorted(both)}")
        return self


class MultiStep(_Strict):
    min_asks: int = Field(ge=2)
    split: str
    ask: str

    @field_validator("split", "ask")
    @classmethod
    def _compiles(cls, value: str) -> str:
        try:
            re.compile(value)
        except re.error as exc:
            raise ValueError(f"not a valid regular expression: {exc}") from None
        return value

    def asks(self, text: str) -> int:
        ask = re.compile(self.ask, re.IGNORECASE)
        return sum(1 for part in re.split(self.split, text.strip(), flags=re.IGNORECASE)
                   if part and ask.search(part.strip()))


class OpenSetThresholds(_Strict):
    """The offline classifier's "none of these" decision for a workflow request (nodes/offline/intent.py)."""

    assay_points: float = Field(gt=0)
    knn_only_similarity: float = Field(ge=-1, le=1)
    tie_ratio: float = Field(gt=0, le=1)


class IntentConfig(_Strict):
    escalation: EscalationThresholds
    multi_step: MultiStep
    open_set: OpenSetThresholds


def load_intent_config(path: Path = INTENT_CONFIG) -> IntentConfig:
    """Read and check the YAML; any problem is a ConfigError naming the file, the key and the problem."""
    data = read_yaml(path)
    return validate(IntentConfig, data if data is not None else {}, path)


Route = Literal["local", "escalate"]


@dataclass(frozen=True)
class Decision:
    route: Route
    reason: str


class EscalationPolicy:
    def __init__(self, config: IntentConfig) -> None:
        self.config = config

    def decide(self, request: str, offline: IntentResult) -> Decision:
        t = self.config.escalation
        asks = self.config.multi_step.asks(request)
        if asks >= self.config.multi_step.min_asks:
            return Decision("escalate", f"multi-step request ({asks} asks)")
        if offline.intent in t.code_intents:
            kind, threshold = "code task", t.code_local_above
        elif offline.intent in t.question_intents:
            kind, threshold = "simple question", t.question_local_above
        else:
            kind, threshold = offline.intent, t.escalate_below
        if offline.confidence > threshold:
            return Decision("local", f"{kind} at confidence {offline.confidence:.2f} > {threshold}")
        return Decision("escalate", f"{kind} at confidence {offline.confidence:.2f} <= {threshold}")

    def chain(self, decision: Decision, own: list[TierModel], strongest: list[TierModel]) -> list[TierModel]:
        """The tiers in the order to try them (the node's offline tier always comes last)."""
        if decision.route == "local":
            return own
        cloud = [t for t in own if t.tier == "cloud"]
        local = [t for t in own if t.tier == "local"]
        if cloud:  # the profile allows the cloud and has a key for it
            return cloud + local
        seen = {(t.endpoint, t.model_name) for t in local}
        stronger = [t for t in strongest if t.tier == "local" and (t.endpoint, t.model_name) not in seen]
        return stronger + local
