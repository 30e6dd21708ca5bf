"""Choose each role's model from the strategy's priority list (config/models.yaml `priorities`) for an inventory.

For every role: P1 where it fits (the planner tries FP16, then the published INT8/INT4 checkpoints); else the next
priority; else the cloud when the profile allows it. Each role gets a one-line reason saying which choice won and why
the ones above it did not.
"""

from __future__ import annotations

from dataclasses import dataclass, field


from biopipelines.core.errors import InputError
from biopipelines.core.model_catalogue import CatalogueModel, ModelCatalogue

from biopipelines.deploy.gpus import Gpu, GpuCatalogue
from biopipelines.deploy.memory import footprint
from biopipelines.deploy.plan import Plan
from biopipelines.deploy.planner import DEFAULT_CONTEXT, SHARE_CAP, PlanRequest, Selection, plan
from biopipelines.deploy.precision import available

@dataclass
class _Role:
    name: str
    candidates: list[CatalogueModel]
    skipped: list[str] = field(default_factory=list)  # "P1 X: why not", in order
    lowered_others: bool = False  # placed only by moving earlier roles to a lower precision (no cloud allowed)


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
    chosen_model = f" {where[0]}:" if where else None
    before = "; ".join(sorted(s for s in role.skipped if not (chosen_model and chosen_model in s)))  # P1 before P2
    if where:
        model, precision, gpu = where
        rank = _rank(role.name, model, cat)
        quant = "" if precision == "fp16" else " (FP16 left no room: published quantized checkpoint)"
        chosen = f"P{rank} {model} at {precision} on {gpu}{quant}"
        if role.lowered_others:
            chosen += "; earlier roles moved to a lower precision to make room, as no cloud is allowed"
    elif cloud:
        chosen = "cloud: no local choice fits beside the roles before it"
    else:
        chosen = "offline tier: no local choice fits and the profile does not allow the cloud"
    return f"{chosen}" + (f" [not chosen: {before}]" if before else "")


def _precisions(result: Plan) -> dict[str, str]:
    return {role: prec for role, (_, prec, _) in _placed(result).items()}


@dataclass
class _Fleet:
    inventory: str
    gpus: list[Gpu]
    cat: ModelCatalogue
    gpu_cat: GpuCatalogue
    cloud: list[str]  # grows as roles go to the cloud
    cloud_model: str | None

    def plan(self, selections: dict[str, Selection]) -> Plan:
        req = PlanRequest(inventory=self.inventory, selections=dict(selections), cloud_roles=list(self.cloud),
                          cloud_model=self.cloud_model if self.cloud else None)
        return plan(req, self.gpus, self.cat, self.gpu_cat)


def _first_fit(role: _Role, fleet: _Fleet, selections: dict[str, Selection], current: Plan | None, *,
               keep_precisions: bool) -> tuple[str, Plan] | None:
    """The first candidate that fits beside the roles already chosen (optionally: without lowering their precision)."""
    before = _precisions(current) if current else {}
    for model in role.candidates:
        trial = fleet.plan({**selections, role.name: Selection(model=model.id)})
        lowered = any(_precisions(trial).get(r) != p for r, p in before.items())
        if not trial.unplaced and not (keep_precisions and lowered):
            return model.id, trial
        if keep_precisions:
            why = "no GPU had room for it" if trial.unplaced else "it would push earlier roles to a lower precision"
            role.skipped.append(f"P{_rank(role.name, model.id, fleet.cat)} {model.id}: {why} beside the roles "
                                "before it")
    return None


@dataclass
class AutoSelection:
    request: PlanRequest
    reasons: dict[str, str]  # role -> why this model (or the cloud, or the offline tier)
    uncovered: list[str]  # roles with no local model that fits and no cloud allowed: the offline tier serves them


def auto_select(inventory: str, gpus: list[Gpu], cat: ModelCatalogue, gpu_cat: GpuCatalogue, *, allow_cloud: bool,
                cloud_model: str | None, pinned: dict[str, Selection] | None = None) -> AutoSelection:
    """Roles in the catalogue's priority_order each take the first choice that fits beside the roles before them
    without pushing any of those to a lower precision; what fits nowhere goes to the cloud. Without the cloud, a role
    may lower earlier roles' precision to get a model at all; failing that, the offline tier serves it."""
    pinned = dict(pinned or {})
    selections, cloud, uncovered = dict(pinned), [], []
    fleet = _Fleet(inventory, gpus, cat, gpu_cat, cloud, cloud_model)
    current = fleet.plan(selections) if pinned else None
    if current and current.unplaced:  # the --select choices alone do not fit: let the planner say why
        return AutoSelection(request=PlanRequest(inventory=inventory, selections=selections),
                             reasons={r: f"--select {s.model}" for r, s in pinned.items()}, uncovered=[])
    roles = []
    for name in [r for r in cat.priority_order if r not in pinned]:
        role = _candidates(name, cat, gpus)
        roles.append(role)
        fit = _first_fit(role, fleet, selections, current, keep_precisions=True)
        if fit is None and not allow_cloud:  # no cloud: a lower precision elsewhere beats no model for this role
            fit = _first_fit(role, fleet, selections, current, keep_precisions=False)
            role.lowered_others = fit is not None
        if fit is None:
            (cloud if allow_cloud else uncovered).append(name)
        else:
            selections[name], current = Selection(model=fit[0]), fit[1]
    req = PlanRequest(inventory=inventory, selections=selections, cloud_roles=cloud,
                      cloud_model=cloud_model if cloud else None)
    result = plan(req, gpus, cat, gpu_cat)
    reasons = {r.name: _reason(r, result, cat, r.name in cloud) for r in roles}
    reasons.update({role: f"--select {sel.model}" for role, sel in pinned.items()})
    return AutoSelection(request=req, reasons=reasons, uncovered=uncovered)
