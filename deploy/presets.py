"""The seed's fleets (config/fleet_presets.yaml) and how their hand estimates compare with the computed plan."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from biopipelines.core.errors import InputError
from biopipelines.core.settings import CONFIG_DIR
from biopipelines.core.yaml_files import read_config

from biopipelines.deploy.plan import Plan


class SeedEstimate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    weights_gb: dict[str, float] = Field(default_factory=dict)
    notes: list[str] = Field(default_factory=list)


class Preset(BaseModel):
    model_config = ConfigDict(extra="forbid")
    description: str
    inventory: str
    select: dict[str, str]
    min_context: dict[str, int] = Field(default_factory=dict)
    replicas: dict[str, int] = Field(default_factory=dict)
    cloud: list[str] = Field(default_factory=list)
    cloud_model: str | None = None
    seed: SeedEstimate = Field(default_factory=SeedEstimate)


class PresetFile(BaseModel):
    presets: dict[str, Preset]


def load_presets(path: Path | None = None) -> dict[str, Preset]:
    return read_config(PresetFile, path or CONFIG_DIR / "fleet_presets.yaml").presets


def get_preset(name: str) -> Preset:
    presets = load_presets()
    if name not in presets:
        raise InputError(f"unknown preset {name!r}; known: {', '.join(presets)}")
    return presets[name]


def seed_comparison(preset: Preset, plan: Plan) -> list[dict]:
    """Per role with a seed estimate: the seed's weights figure next to the computed one (or where it went)."""
    rows = []
    procs = {r: p for g in plan.gpus for p in g.processes for r in p.roles}
    for role, seed_gb in preset.seed.weights_gb.items():
        proc = procs.get(role)
        if proc is None:
            computed, where = None, "cloud" if role in plan.cloud_roles else "unplaced"
        else:
            computed, where = round(proc.weights_gb * 2**30 / 1e9, 2), f"{proc.precision}"
        rows.append({"role": role, "seed_weights_gb": seed_gb, "computed_weights_gb": computed, "served_as": where,
                     "differs": computed is None or abs(computed - seed_gb) > 0.5})
    for note in preset.seed.notes:
        rows.append({"note": note})
    return rows
