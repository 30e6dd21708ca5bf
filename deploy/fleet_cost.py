"""Monthly cost of a fleet preset against cloud-only and hybrid, in the strategy's cost-comparison form.

Local: every GPU of the preset's inventory rented or amortised at a price per GPU-hour, for 24 h x 30 days x duty
cycle (1.0 by default: the processes stay up whether or not requests come). Cloud: each role's tokens per request
(recorded from route entries of a real run, config/route_tokens.yaml) x the cloud model's price x requests per day x 30.
Hybrid: the local fleet plus the cloud tokens of the roles the preset sends to the cloud.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterable

from pydantic import BaseModel, ConfigDict, Field

from biopipelines.core.model_catalogue import CloudModel
from biopipelines.core.schemas import RouteEntry
from biopipelines.core.settings import CONFIG_DIR, ROLES
from biopipelines.core.yaml_files import read_config

DAYS_PER_MONTH = 30
HOURS_PER_DAY = 24
# Graph nodes that are not named after the role whose model serves them.
NODE_ROLE = {"safety_in": "safety", "input_guard": "safety", "safety_out": "safety", "bio_expert": "bio",
             "math_expert": "math"}


class RoleTokens(BaseModel):
    model_config = ConfigDict(extra="forbid")
    tokens_in: float = Field(ge=0)
    tokens_out: float = Field(ge=0)


class RecordedTokens(BaseModel):
    """Tokens per request and role, with where they were measured."""

    model_config = ConfigDict(extra="forbid")
    source: str
    requests: int = Field(ge=1, description="Requests the run served; the figures are per request")
    roles: dict[str, RoleTokens]
    note: str = ""


def load_recorded_tokens(path: Path | None = None) -> RecordedTokens:
    return read_config(RecordedTokens, path or CONFIG_DIR / "route_tokens.yaml")


def tokens_from_routes(routes: Iterable[RouteEntry], requests: int, source: str) -> RecordedTokens:
    """Mean tokens per request and role over the route entries of `requests` requests (model calls only)."""
    totals: dict[str, list[int]] = {}
    for r in routes:
        role = NODE_ROLE.get(r.node, r.node)
        if role in ROLES and r.tier != "offline":
            t = totals.setdefault(role, [0, 0])
            t[0] += r.tokens_in
            t[1] += r.tokens_out
    return RecordedTokens(source=source, requests=requests, roles={
        role: RoleTokens(tokens_in=round(i / requests, 1), tokens_out=round(o / requests, 1))
        for role, (i, o) in sorted(totals.items())})


class RoleCost(BaseModel):
    role: str
    tokens_in: float
    tokens_out: float
    measured: bool = Field(description="False: the recorded runs have no tokens for this role (counted as 0)")
    served: str = Field(description="local, cloud, or offline in this preset")
    cloud_usd_month: float = Field(description="What this role would cost on the cloud model, per month")


class CostRow(BaseModel):
    option: str
    gpu_usd_month: float
    cloud_usd_month: float
    total_usd_month: float
    usd_per_request: float


class FleetCost(BaseModel):
    preset: str
    inventory: str
    requests_per_day: int
    duty_cycle: float
    gpu_hours_month: float
    gpu_usd_per_hour: dict[str, float]
    cloud_model: str
    tokens_source: str
    roles: list[RoleCost]
    rows: list[CostRow]
    break_even_requests_per_day: float | None = Field(
        description="Requests/day above which the local fleet costs less than cloud-only")


def _cloud_usd(tokens: RoleTokens, price: CloudModel, requests_month: float) -> float:
    per_request = (tokens.tokens_in * price.price_per_mtok.input + tokens.tokens_out * price.price_per_mtok.output) / 1e6
    return per_request * requests_month


def _row(option: str, gpu_usd: float, cloud_usd: float, requests_month: float) -> CostRow:
    total = gpu_usd + cloud_usd
    return CostRow(option=option, gpu_usd_month=round(gpu_usd, 2), cloud_usd_month=round(cloud_usd, 2),
                   total_usd_month=round(total, 2), usd_per_request=round(total / requests_month, 6))


def fleet_cost(*, preset: str, inventory: dict[str, int], local_roles: set[str], cloud_roles: set[str],
               tokens: RecordedTokens, cloud: CloudModel, gpu_usd_per_hour: dict[str, float],
               requests_per_day: int, duty_cycle: float = 1.0) -> FleetCost:
    requests_month = requests_per_day * DAYS_PER_MONTH
    hours = HOURS_PER_DAY * DAYS_PER_MONTH * duty_cycle
    gpu_usd = sum(count * hours * gpu_usd_per_hour[kind] for kind, count in inventory.items())
    roles = []
    for role in ROLES:
        t = tokens.roles.get(role, RoleTokens(tokens_in=0, tokens_out=0))
        served = "local" if role in local_roles else "cloud" if role in cloud_roles else "offline"
        roles.append(RoleCost(role=role, tokens_in=t.tokens_in, tokens_out=t.tokens_out,
                              measured=role in tokens.roles, served=served,
                              cloud_usd_month=round(_cloud_usd(t, cloud, requests_month), 2)))
    cloud_only = sum(r.cloud_usd_month for r in roles)
    hybrid_cloud = sum(r.cloud_usd_month for r in roles if r.served == "cloud")
    rows = [_row("cloud-only", 0.0, cloud_only, requests_month),
            _row(f"local fleet ({preset}, cloud roles off)", gpu_usd, 0.0, requests_month),
            _row(f"hybrid ({preset} + cloud for {', '.join(sorted(cloud_roles)) or 'nothing'})", gpu_usd,
                 hybrid_cloud, requests_month)]
    per_request_cloud = cloud_only / requests_month
    saved_per_request = per_request_cloud - hybrid_cloud / requests_month
    break_even = gpu_usd / DAYS_PER_MONTH / saved_per_request if saved_per_request > 0 else None
    return FleetCost(preset=preset, inventory=",".join(f"{k}:{v}" for k, v in inventory.items()),
                     requests_per_day=requests_per_day, duty_cycle=duty_cycle,
                     gpu_hours_month=round(hours * sum(inventory.values()), 1), gpu_usd_per_hour=gpu_usd_per_hour,
                     cloud_model=cloud.id, tokens_source=tokens.source, roles=roles, rows=rows,
                     break_even_requests_per_day=round(break_even, 1) if break_even else None)
