"""Cost accounting over route entries: per node and in total, and how much of it was local (power) or cloud.

Cloud calls are priced per token from config/models.yaml; local calls in electricity (GPU watts x latency), see
ModelCatalogue.power_usd_per_s. report.json and the REPL's /cost both show `summarize(routes)`.
"""

from __future__ import annotations

from typing import Iterable

from pydantic import BaseModel, Field

from biopipelines.core.schemas import RouteEntry

TIERS = ("local", "cloud", "offline")


class NodeCost(BaseModel):
    node: str
    calls: int = 0
    tokens_in: int = 0
    tokens_out: int = 0
    cost_usd: float = 0.0
    tiers: dict[str, int] = Field(default_factory=lambda: {t: 0 for t in TIERS})


class CostSummary(BaseModel):
    nodes: list[NodeCost]
    total_usd: float
    local_usd: float
    cloud_usd: float
    calls: dict[str, int] = Field(description="Calls served by each tier")
    tokens: dict[str, int] = Field(description="Tokens (in + out) by tier")
    local_share: float | None = Field(description="Share of model calls served locally (None: no model call)")
    cloud_share: float | None


def summarize(routes: Iterable[RouteEntry]) -> CostSummary:
    nodes: dict[str, NodeCost] = {}
    by_tier = {t: 0.0 for t in TIERS}
    calls = {t: 0 for t in TIERS}
    tokens = {t: 0 for t in TIERS}
    for r in routes:
        n = nodes.setdefault(r.node, NodeCost(node=r.node))
        n.calls += 1
        n.tokens_in += r.tokens_in
        n.tokens_out += r.tokens_out
        n.cost_usd += r.cost_usd
        n.tiers[r.tier] += 1
        by_tier[r.tier] += r.cost_usd
        calls[r.tier] += 1
        tokens[r.tier] += r.tokens_in + r.tokens_out
    for n in nodes.values():
        n.cost_usd = round(n.cost_usd, 8)
    model_calls = calls["local"] + calls["cloud"]
    return CostSummary(
        nodes=list(nodes.values()), total_usd=round(sum(by_tier.values()), 8), local_usd=round(by_tier["local"], 8),
        cloud_usd=round(by_tier["cloud"], 8), calls=calls, tokens=tokens,
        local_share=round(calls["local"] / model_calls, 4) if model_calls else None,
        cloud_share=round(calls["cloud"] / model_calls, 4) if model_calls else None,
    )


def format_cost(summary: CostSummary) -> str:
    """A small table for the REPL's /cost."""
    lines = [f"{'node':<12} {'calls':>5} {'local':>5} {'cloud':>5} {'offline':>7} {'tok in':>7} {'tok out':>7} "
             f"{'cost USD':>11}"]
    for n in summary.nodes:
        lines.append(f"{n.node:<12} {n.calls:>5} {n.tiers['local']:>5} {n.tiers['cloud']:>5} {n.tiers['offline']:>7} "
                     f"{n.tokens_in:>7} {n.tokens_out:>7} {n.cost_usd:>11.6f}")
    share = ("no model calls" if summary.local_share is None else
             f"local {summary.local_share:.0%} / cloud {summary.cloud_share:.0%} of model calls")
    lines.append(f"total {summary.total_usd:.6f} USD (local power {summary.local_usd:.6f}, cloud "
                 f"{summary.cloud_usd:.6f}); {share}; offline calls: {summary.calls['offline']}")
    return "\n".join(lines)
