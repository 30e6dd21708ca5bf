"""Per-endpoint state shared across calls: a cooldown (circuit breaker) and in-flight counts for replica choice.

One `EndpointGuard` is owned by a ModelFactory, so every node and every concurrent call of one run sees the same
picture of the fleet. A threading.Lock guards it; no await happens while it is held, so it is asyncio-safe too.
Endpoints are keyed by base URL: a hung or refusing server is down for every model name it serves.
"""

from __future__ import annotations

import itertools
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Callable, Sequence, TypeVar

from biopipelines.core.settings import RoutingConfig

T = TypeVar("T")


class EndpointCoolingDown(RuntimeError):
    """The endpoint is in cooldown: it was skipped without a connection attempt."""


@dataclass
class _EndpointState:
    failures: deque[float] = field(default_factory=deque)
    cooldown_until: float = 0.0
    in_flight: int = 0
    last_error: str = ""
    opens: int = 0  # breaker openings since the last success: each doubles the next cooldown


class EndpointGuard:
    def __init__(self, routing: RoutingConfig, clock: Callable[[], float] = time.monotonic) -> None:
        self.routing = routing
        self._clock = clock
        self._lock = threading.Lock()
        self._states: dict[str, _EndpointState] = {}
        self._turn = itertools.count()

    def _state(self, url: str) -> _EndpointState:
        return self._states.setdefault(url, _EndpointState())

    # -- the breaker --------------------------------------------------------------------------------------------
    def cooling_down(self, url: str) -> float:
        """Seconds of cooldown left (0 when the endpoint may be tried)."""
        with self._lock:
            return max(0.0, self._state(url).cooldown_until - self._clock())

    def acquire(self, url: str) -> None:
        """Claim a slot on the endpoint, or raise EndpointCoolingDown without touching the network."""
        with self._lock:
            state = self._state(url)
            left = state.cooldown_until - self._clock()
            if left > 0:
                raise EndpointCoolingDown(f"in cooldown for {left:.1f}s more after: {state.last_error}")
            state.in_flight += 1

    def release(self, url: str, error: str | None = None, retry_after_s: float | None = None,
                open_now: bool = False) -> None:
        """End a call: a success clears the failure window; a failure may open the breaker (`open_now`: at once)."""
        with self._lock:
            state = self._state(url)
            state.in_flight = max(0, state.in_flight - 1)
            now = self._clock()
            if error is None:
                state.failures.clear()
                state.opens = 0
                return
            state.last_error = error[:200]
            state.failures.append(now)
            while state.failures and now - state.failures[0] > self.routing.cooldown_window_s:
                state.failures.popleft()
            if retry_after_s:  # the server said when to come back: believe it, within the configured maximum
                state.cooldown_until = max(state.cooldown_until, now + min(retry_after_s, self.routing.cooldown_s))
            if open_now or len(state.failures) >= self.routing.cooldown_failures:
                # an endpoint that fails again right after its cooldown stays out longer (capped)
                cooldown = min(self.routing.cooldown_s * 2 ** state.opens, self.routing.max_cooldown_s)
                state.cooldown_until = max(state.cooldown_until, now + cooldown)
                state.opens += 1
                state.failures.clear()  # after the cooldown, the endpoint gets a fresh window (half-open)

    def abandon(self, url: str) -> None:
        """End a call that we cut short (the turn's time budget ran out): neither a success nor a failure."""
        with self._lock:
            state = self._state(url)
            state.in_flight = max(0, state.in_flight - 1)

    # -- replica choice -----------------------------------------------------------------------------------------
    def order(self, replicas: Sequence[T], url_of: Callable[[T], str]) -> list[T]:
        """Replicas in the order to try: healthy before cooling down; then least in flight or round robin."""
        if len(replicas) < 2:
            return list(replicas)
        with self._lock:
            now = self._clock()
            start = next(self._turn) % len(replicas)
            rotated = list(replicas[start:]) + list(replicas[:start])

            def rank(r: T) -> tuple:
                state = self._state(url_of(r))
                cooling = state.cooldown_until > now
                load = state.in_flight if self.routing.replica_policy == "least_in_flight" else 0
                return (cooling, load)

            return sorted(rotated, key=rank)  # stable: ties keep the round-robin rotation

    def snapshot(self) -> dict[str, dict]:
        with self._lock:
            now = self._clock()
            return {url: {"in_flight": s.in_flight, "recent_failures": len(s.failures),
                          "cooldown_left_s": round(max(0.0, s.cooldown_until - now), 2)}
                    for url, s in self._states.items()}
