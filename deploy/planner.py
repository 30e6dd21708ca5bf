"""Assign vLLM processes to GPUs.

Rules: each process needs its weights, activation peak and room for at least one full-length sequence of KV cache
inside its utilisation fraction; processes on one GPU may share it only while their fractions sum to <= 0.95 and
the fractions plus every process's CUDA context and graphs fit in the GPU's total. FP16 comes first; a quantized
precision is used only where FP16 does not fit and a published checkpoint exists.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from pydantic import BaseModel, Field

from biopipelines.core.errors import InputError
from biopipelines.core.model_catalogue import CatalogueModel, ModelCatalogue

from biopipelines.deploy.gpus import Gpu, GpuCatalogue
from biopipelines.deploy.memory import GIB, Footprint, footprint, is_embedding
from biopipelines.deploy.plan import GpuPlan, Plan, ProcessPlan, Unplaced
from biopipelines.deploy.precision import Precision, available, checkpoint, dtype_flag, quantization_flag
from biopipelines.deploy.vllm_flags import VLLM_VERSION

SHARE_CAP = 0.95  # the most the fractions of processes sharing one GPU may add up to
FILL_TARGET = 0.90  # vLLM's own default: leftover memory is handed out up to this sum
DEFAULT_CONTEXT = 8192
FIRST_PORT = 8001


class Selection(BaseModel):
    model: str
    precision: Precision | None = None


class PlanRequest(BaseModel):
    inventory: str
    selections: dict[str, Selection]
    min_context: dict[str, int] = Field(default_factory=dict)
    replicas: dict[str, int] = Field(default_factory=dict)
    cloud_roles: list[str] = Field(default_factory=list)
    cloud_model: str | None = None
    max_num_seqs: int = 64
    preset: str | None = None


@dataclass
class _Item:
    """One process to place: a model (and pinned precision) serving one or more roles."""

    roles: list[str]
    model: CatalogueModel
    pinned: Precision | None
    max_model_len: int
    replica: int
    group: int
    forced: bool  # the user named the precision: never change it
    placed: tuple[Gpu, Precision, Footprint] | None = None


@dataclass
class _State:
    gpus: list[Gpu]
    load: dict[str, list[_Item]] = field(default_factory=dict)


def _frac(gpu: Gpu, fp: Footprint) -> float:
    return math.ceil(fp.budget_min_gib / gpu.spec.usable_gib * 100) / 100


def _cap(gpu: Gpu, fps: list[Footprint]) -> float:
    return min(SHARE_CAP, 1 - sum(f.outside_budget_gib for f in fps) / gpu.spec.usable_gib)


def _fits(gpu: Gpu, fps: list[Footprint]) -> bool:
    return sum(_frac(gpu, f) for f in fps) <= _cap(gpu, fps) + 1e-9


def _footprints(items: list[_Item]) -> list[Footprint]:
    return [i.placed[2] for i in items if i.placed]


def _build_items(req: PlanRequest, cat: ModelCatalogue) -> list[_Item]:
    groups: dict[tuple[str, str | None], list[str]] = {}
    for role, sel in req.selections.items():
        if role in req.cloud_roles:
            continue
        if cat.model(sel.model) is None:
            known = ", ".join(m.id for m in cat.models)
            raise InputError(f"--select {role}={sel.model}: not in config/models.yaml (known: {known})")
        groups.setdefault((sel.model, sel.precision), []).append(role)
    items: list[_Item] = []
    for g, ((model_id, precision), roles) in enumerate(groups.items()):
        model = cat.model(model_id)
        assert model is not None
        if precision and not checkpoint(model, precision):
            have = ", ".join(available(model))
            raise InputError(f"{model_id} has no published {precision} checkpoint in config/models.yaml "
                             f"(available: {have}); vLLM cannot quantize to it on the fly")
        ctx = max(req.min_context.get(r, min(DEFAULT_CONTEXT, model.architecture.context_length)) for r in roles)
        if ctx > model.architecture.context_length:
            raise InputError(f"--min-context {roles[0]}={ctx} exceeds {model_id}'s context length "
                             f"{model.architecture.context_length}")
        for replica in range(max(req.replicas.get(r, 1) for r in roles)):
            items.append(_Item(roles=roles, model=model, pinned=precision, max_model_len=ctx, replica=replica,
                               group=g, forced=precision is not None))
    return items


def _candidates(item: _Item) -> list[Precision]:
    return [item.pinned] if item.pinned else available(item.model)


def _try_place(item: _Item, state: _State, max_seqs: int) -> bool:
    for precision in _candidates(item):
        fp = footprint(item.model, precision, item.max_model_len, max_num_seqs=max_seqs)
        options = []
        for gpu in state.gpus:
            others = state.load.setdefault(gpu.id, [])
            fps = _footprints(others) + [fp]
            if not _fits(gpu, fps):
                continue
            sibling = any(o.group == item.group for o in others)  # spread replicas over GPUs
            spare = _cap(gpu, fps) * gpu.spec.usable_gib - sum(f.budget_min_gib for f in fps)
            options.append((sibling, len(others), spare, gpu.id, gpu))
        if options:
            # spread over idle GPUs first (each process keeps more KV cache), then best fit: least room left over
            gpu = min(options, key=lambda o: o[:4])[4]
            item.placed = (gpu, precision, fp)
            state.load[gpu.id].append(item)
            return True
    return False


def _pack(items: list[_Item], gpus: list[Gpu], max_seqs: int) -> tuple[_State, list[_Item]]:
    def size(i: _Item) -> float:
        return footprint(i.model, _candidates(i)[0], i.max_model_len, max_num_seqs=max_seqs).budget_min_gib

    state = _State(gpus=gpus)
    unplaced = []
    for item in sorted(items, key=size, reverse=True):
        item.placed = None
        if not _try_place(item, state, max_seqs):
            unplaced.append(item)
    return state, unplaced


def _downgrade(items: list[_Item]) -> bool:
    """Pin the largest auto-chosen placed process to its next smaller precision; False when none can shrink."""
    for item in sorted((i for i in items if i.placed and not i.forced), key=lambda i: -i.placed[2].weights_gib):
        precisions = available(item.model)
        current = precisions.index(item.placed[1])
        if current + 1 < len(precisions):
            item.pinned = precisions[current + 1]
            return True
    return False


def _smallest_fit_context(item: _Item, gpu: Gpu, others: list[Footprint], precision: Precision,
                          max_seqs: int) -> int | None:
    lo, hi, best = 512, item.max_model_len - 1, None
    while lo <= hi:
        mid = (lo + hi) // 2
        if _fits(gpu, others + [footprint(item.model, precision, mid, max_num_seqs=max_seqs)]):
            best, lo = mid, mid + 1
        else:
            hi = mid - 1
    return best


def _suggest(item: _Item, state: _State, gpu_cat: GpuCatalogue, max_seqs: int) -> tuple[str, str, list[str]]:
    role, m = item.roles[0], item.model
    best = footprint(m, _candidates(item)[0], item.max_model_len, max_num_seqs=max_seqs)
    types = sorted({g.type for g in state.gpus}, key=lambda t: gpu_cat.gpus[t].usable_gib)
    largest = max(state.gpus, key=lambda g: g.spec.usable_gib)
    reason = (f"{m.id} ({_candidates(item)[0]}, {item.max_model_len} tokens) needs {best.budget_min_gib:.1f} GiB "
              f"inside vLLM's budget plus {best.outside_budget_gib:.1f} GiB outside it; no GPU of "
              f"{'/'.join(types)} has that much left (a {largest.type} allows "
              f"{_cap(largest, [best]) * largest.spec.usable_gib:.1f} GiB on its own)")
    alternatives: list[str] = []
    pinned_now = item.pinned
    for precision in available(m):
        if precision in _candidates(item):
            continue
        fp = footprint(m, precision, item.max_model_len, max_num_seqs=max_seqs)
        if any(_fits(g, _footprints(state.load.get(g.id, [])) + [fp]) for g in state.gpus):
            alternatives.append(f"use --select {role}={m.id}:{precision} ({checkpoint(m, precision)}, "
                                f"{fp.weights_gib:.1f} GiB of weights)")
            break
    item.pinned = pinned_now
    for gpu in state.gpus:
        ctx = _smallest_fit_context(item, gpu, _footprints(state.load.get(gpu.id, [])), _candidates(item)[0],
                                    max_seqs)
        if ctx:
            alternatives.append(f"lower --min-context {role}={ctx} (or less) so it fits on {gpu.id}")
            break
    for kind in sorted(gpu_cat.gpus, key=lambda k: gpu_cat.gpus[k].usable_gib):
        probe = Gpu(id=f"{kind}-new", type=kind, spec=gpu_cat.gpus[kind])
        if _fits(probe, [best]):
            alternatives.append(f"add a {kind} to --inventory (e.g. {kind}:1)")
            break
    alternatives.append(f"serve {role} from the cloud (--cloud {role})")
    return reason, alternatives[0], alternatives[1:]


def _assign_fractions(gpu: Gpu, items: list[_Item]) -> list[float]:
    fps = _footprints(items)
    fracs = [_frac(gpu, f) for f in fps]
    target = min(FILL_TARGET, _cap(gpu, fps))
    spare = target - sum(fracs)
    growers = [k for k, f in enumerate(fps) if f.kv_per_token_bytes]  # only KV-cache users gain from more room
    if spare > 0 and growers:
        weight = sum(fracs[k] for k in growers)
        for k in growers:
            fracs[k] += math.floor(spare * fracs[k] / weight * 100) / 100
    return [round(f, 2) for f in fracs]


def plan(req: PlanRequest, gpus: list[Gpu], cat: ModelCatalogue, gpu_cat: GpuCatalogue) -> Plan:
    items = _build_items(req, cat)
    while True:
        state, unplaced = _pack(items, gpus, req.max_num_seqs)
        if not unplaced or not _downgrade(items):
            break
    # a downgrade that still leaves something out is undone, so placed models keep the best precision they can
    if unplaced:
        for item in items:
            if not item.forced:
                item.pinned = None
        state, unplaced = _pack(items, gpus, req.max_num_seqs)
    port = FIRST_PORT
    gpu_plans = []
    for gpu in gpus:
        here = sorted(state.load.get(gpu.id, []), key=lambda i: (i.roles[0], i.replica))
        procs = []
        for item, frac in zip(here, _assign_fractions(gpu, here)):
            _, precision, fp = item.placed  # type: ignore[misc]
            kv_gib = frac * gpu.spec.usable_gib - fp.weights_gib - fp.activation_gib
            procs.append(ProcessPlan(
                role=item.roles[0], roles=item.roles, model=item.model.id,
                checkpoint=checkpoint(item.model, precision) or item.model.id, precision=precision,
                quantization=quantization_flag(precision, gpu.spec), dtype=dtype_flag(precision, gpu.spec),
                task="embed" if is_embedding(item.model) else "generate", replica=item.replica,
                gpu_memory_utilization=frac, weights_gb=round(fp.weights_gib, 2),
                activation_gb=round(fp.activation_gib, 2), kv_cache_gb=round(kv_gib, 2),
                kv_tokens=int(kv_gib * GIB / fp.kv_per_token_bytes) if fp.kv_per_token_bytes else 0,
                max_model_len=item.max_model_len, max_num_seqs=req.max_num_seqs, port=port))
            port += 1
        fps = _footprints(here)
        gpu_plans.append(GpuPlan(id=gpu.id, type=gpu.type, memory_gb=gpu.spec.memory_gb,
                                 usable_gb=gpu.spec.usable_gib,
                                 utilization_sum=round(sum(p.gpu_memory_utilization for p in procs), 2),
                                 outside_budget_gb=round(sum(f.outside_budget_gib for f in fps), 2),
                                 processes=procs))
    missing = []
    for item in unplaced:
        reason, suggestion, alternatives = _suggest(item, state, gpu_cat, req.max_num_seqs)
        missing.append(Unplaced(role=item.roles[0], roles=item.roles, model=item.model.id, precision=item.pinned,
                                max_model_len=item.max_model_len, reason=reason, suggestion=suggestion,
                                alternatives=alternatives))
    return Plan(inventory=req.inventory, preset=req.preset, vllm_version=VLLM_VERSION, cloud_roles=req.cloud_roles,
                cloud_model=req.cloud_model, gpus=gpu_plans, unplaced=missing)
