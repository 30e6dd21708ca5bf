"""Choose each role's model from the strategy's priority list (config/models.yaml `priorities`) for an inventory.

For every role: P1 where it fits (the planner tries FP16, then the published INT8/INT4 checkpoints); else the next
priority; else the cloud when the profile allows it. Each role gets a one-line reason saying which choice won and why
the ones above it did not.
"""

from __future__ import annotations

from dataclasses import dataclass, field


from biopipelines.graph.errors import InputError
from biopipelines.graph.model_catalogue import CatalogueModel, ModelCatalogue

from biopipelines.deploy.gpus import Gpu, GpuCatalogue
from biopipelines.deploy.plan import Plan
from biopipelines.deploy.planner import DEFAULT_CONTEXT, SHARE_CAP, PlanRequest, Selection, plan
from biopipelines.deploy.precision import available
from biopipelines.deploy.memory import footprint

@dataclass
class _Role:
    name: str
    candidates: list[CatalogueModel]
    skipped: list[str] = field(default_factory=list)  # "P1 X: why not", in order


def _fits_alone(model: CatalogueModel, gpus: list[Gpu]) -> bool:
    """Whether some precision of the model fits on the largest GPU with nothing else on it."""
    largest = max(gpus, key=lambda g: g.spec.usable_gib)
    ctx = min(DEFAULT_CONTEXT, model.architecture.context_length)
    for precision in available(model):
        fp = footprint(model, precision, ctx)
        if fp.budget_min_gib + fp.outside_budget_gib <= SHARE_CAP * largest.spec.usable_gib:
            return True
    return False


def _candidates(role: str, cat: ModelCatalogue, gpus: list[Gpu]) -> _Role:
    prio = cat.priorities.get(role)
    if prio is None:
        raise InputError(f"config/models.yaml has no priorities for role {role!r}")
    entry = _Role(name=role, candidates=[])
    for rank, model_id in enumerate(prio.models, start=1):
        model = cat.model(model_id)
        assert model is not None  # load_catalogue checked the priorities
        if not model.vllm:
            entry.skipped.append(f"P{rank} {model_id}: vLLM cannot serve its architecture")
        elif not _fits_alone(model, gpus):
            have = ", ".join(available(model))
            entry.skipped.append(f"P{rank} {model_id}: too large for any GPU here even alone (checkpoints: {have})")
        else:
            entry.candidates.append(model)
    return entry


def _rank(role: str, model_id: str, cat: ModelCatalogue) -> int:
    return cat.priorities[role].models.index(model_id) + 1


def _placed(result: Plan) -> dict[str, tuple[str, str, str]]:
    """role -> (model, precision, gpu id) for every placed process."""
    return {r: (p.model, p.precision, g.id) for g in result.gpus for p in g.processes for r in p.roles}


def _reason(role: _Role, result: Plan, cat: ModelCatalogue, cloud: bool) -> str:
    where = _placed(result).get(role.name)
    before = "; ".join(sorted(role.skipped))  # "P1 ..." sorts before "P2 ..."
    if where:
        model, precision, gpu = where
        rank = _rank(role.name, model, cat)
        quant = "" if precision == "fp16" else " (FP16 left no room: published quantized checkpoint)"
        chosen = f"P{rank} {model} at {precision} on {gpu}{quant}"
    elif cloud:
        chosen = "cloud: no local choice fits beside the roles before it"
    else:
        chosen = "offline tier: no local choice fits and the profile does not allow the cloud"
    return f"{chosen}" + (f" [not chosen: {before}]" if before else "")


def _precisions(result: Plan) -> dict[str, str]:
    return {role: prec for role, (_, prec, _) in _placed(result).items()}


def _try(inventory: str, gpus: list[Gpu], cat: ModelCatalogue, gpu_cat: GpuCatalogue, selections: dict[str, Selection],
         cloud: list[str], cloud_model: str | None) -> Plan:
    req = PlanRequest(inventory=inventory, selections=dict(selections), cloud_roles=list(cloud),
                      cloud_model=cloud_model if cloud else None)
    return plan(req, gpus, cat, gpu_cat)


@dataclass
class AutoSelection:
    request: PlanRequest
    reasons: dict[str, str]  # role -> why this model (or the cloud, or the offline tier)
    uncovered: list[str]  # roles with no local model that fits and no cloud allowed: the offline tier serves them


def auto_select(inventory: str, gpus: list[Gpu], cat: ModelCatalogue, gpu_cat: GpuCatalogue, *, allow_cloud: bool,
                cloud_model: str | None, pinned: dict[str, Selection] | None = None) -> AutoSelection:
    """Roles in the catalogue's priority_order each take the first choice that fits beside the roles before them
    without pushing any of those to a lower precision; what fits nowhere goes to the cloud (or the offline tier)."""
    pinned = dict(pinned or {})
    selections, cloud, uncovered = dict(pinned), [], []
    current = _try(inventory, gpus, cat, gpu_cat, selections, cloud, cloud_model) if pinned else None
    if current and current.unplaced:  # the --select choices alone do not fit: let the planner say why
        return AutoSelection(request=PlanRequest(inventory=inventory, selections=selections),
                             reasons={r: f"--select {s.model}" for r, s in pinned.items()}, uncovered=[])
    roles = []
    for name in [r for r in cat.priority_order if r not in pinned]:
        role = _candidates(name, cat, gpus)
        roles.append(role)
        before = _precisions(current) if current else {}
        for model in role.candidates:
            trial = _try(inventory, gpus, cat, gpu_cat, {**selections, name: Selection(model=model.id)}, cloud,
                         cloud_model)
            after = _precisions(trial)
            if not trial.unplaced and all(after.get(r) == p for r, p in before.items()):
                selections[name], current = Selection(model=model.id), trial
                break
            why = "no GPU had room for it" if trial.unplaced else "it would push earlier roles to a lower precision"
            role.skipped.append(f"P{_rank(name, model.id, cat)} {model.id}: {why} beside the roles before it")
        else:
            (cloud if allow_cloud else uncovered).append(name)
    req = PlanRequest(inventory=inventory, selections=selections, cloud_roles=cloud,
                      cloud_model=cloud_model if cloud else None)
    result = plan(req, gpus, cat, gpu_cat)
    reasons = {r.name: _reason(r, result, cat, r.name in cloud) for r in roles}
    reasons.update({role: f"--select {sel.model}" for role, sel in pinned.items()})
    return AutoSelection(request=req, reasons=reasons, uncovered=uncovered)
