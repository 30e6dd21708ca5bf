"""Where the role -> model selection comes from: a preset, the profile, and --select/--min-context/--replicas."""

from __future__ import annotations

from biopipelines.core.errors import InputError
from biopipelines.core.settings import ROLES, Profile

from biopipelines.deploy.planner import PlanRequest, Selection
from biopipelines.deploy.precision import parse_precision
from biopipelines.deploy.presets import Preset


def _check_role(role: str, flag: str) -> str:
    if role not in ROLES:
        raise InputError(f"{flag}: unknown role {role!r}; roles: {', '.join(ROLES)}")
    return role


def parse_select(text: str) -> tuple[str, Selection]:
    """ROLE=MODEL[:PRECISION], e.g. docs=google/gemma-2-9b-it:fp16."""
    role, sep, rest = text.partition("=")
    if not sep or not rest:
        raise InputError(f"--select {text!r} must look like ROLE=MODEL[:PRECISION]")
    model, _, precision = rest.partition(":")
    return _check_role(role.strip(), "--select"), Selection(
        model=model.strip(), precision=parse_precision(precision.strip()) if precision else None)


def parse_role_int(text: str, flag: str, minimum: int) -> tuple[str, int]:
    role, sep, value = text.partition("=")
    if not sep or not value.strip().isdigit() or int(value) < minimum:
        raise InputError(f"{flag} {text!r} must look like ROLE=N with N >= {minimum}")
    return _check_role(role.strip(), flag), int(value)


def from_preset(name: str, preset: Preset) -> PlanRequest:
    selections = dict(parse_select(f"{role}={model}") for role, model in preset.select.items())
    return PlanRequest(inventory=preset.inventory, selections=selections, min_context=preset.min_context,
                       replicas=preset.replicas, cloud_roles=preset.cloud, cloud_model=preset.cloud_model,
                       preset=name)


def from_profile(inventory: str, profile: Profile) -> PlanRequest:
    selections = {role: Selection(model=cfg.model_id) for role, cfg in profile.roles.items() if cfg.model_id}
    cloud = [role for role, cfg in profile.roles.items() if cfg.cloud and not cfg.model_id]
    cloud_model = next((cfg.cloud.model for cfg in profile.roles.values() if cfg.cloud), None)
    return PlanRequest(inventory=inventory, selections=selections, cloud_roles=cloud, cloud_model=cloud_model)


def apply_overrides(req: PlanRequest, selects: list[str], min_context: list[str], replicas: list[str],
                    cloud: list[str]) -> PlanRequest:
    data = req.model_copy(deep=True)
    for text in selects:
        role, sel = parse_select(text)
        data.selections[role] = sel
        if role in data.cloud_roles:
            data.cloud_roles.remove(role)
    for text in min_context:
        role, value = parse_role_int(text, "--min-context", 256)
        data.min_context[role] = value
    for text in replicas:
        role, value = parse_role_int(text, "--replicas", 1)
        data.replicas[role] = value
    for role in cloud:
        _check_role(role, "--cloud")
        if role not in data.cloud_roles:
            data.cloud_roles.append(role)
    if not [r for r in data.selections if r not in data.cloud_roles]:
        raise InputError("no role selects a local model: use --preset, a --profile with model_id entries, or "
                         "--select ROLE=MODEL")
    return data
