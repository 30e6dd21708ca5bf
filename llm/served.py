"""What a role's chain hands back: the answer, and which tier served it at what cost. A route entry is made from it."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from biopipelines.core.schemas import RouteEntry, Tier


class TierFailed(RuntimeError):
    """A tier could not give a valid answer; the message names the tier and endpoint."""


@dataclass
class Served:
    value: Any
    tier: Tier
    model: str
    endpoint: str | None = None
    tokens_in: int = 0
    tokens_out: int = 0
    cost_usd: float = 0.0
    fallback_reason: str | None = None
    attempts: int = 0

    def route(self, node: str, started: float, turn: int) -> RouteEntry:
        return RouteEntry(
            node=node, tier=self.tier, model=self.model, endpoint=self.endpoint,
            latency_ms=round((time.perf_counter() - started) * 1000, 2), tokens_in=self.tokens_in,
            tokens_out=self.tokens_out, cost_usd=round(self.cost_usd, 8), fallback_reason=self.fallback_reason,
            turn=turn, attempts=self.attempts,
        )


def offline_route(node: str, started: float, turn: int, reason: str | None = None) -> RouteEntry:
    return Served(None, "offline", "offline", fallback_reason=reason).route(node, started, turn)
