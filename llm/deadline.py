"""Hard wall-clock limits on one model attempt: the endpoint's total timeout and the turn's time budget.

httpx's timeout bounds each read, so a server that trickles tokens, or accepts and never answers on a keep-alive
connection, can hold a call far longer. Each attempt therefore runs under the smaller of the endpoint's total
timeout and what is left of the turn's time budget (`deadline`, wall-clock seconds set by safety_in). Each call
runs in a daemon thread that is abandoned when the limit passes (its socket times out on its own later).
"""

from __future__ import annotations

import contextvars
import threading
import time
from collections.abc import Callable
from typing import TypeVar

R = TypeVar("R")


class AttemptTimeout(TimeoutError):
    """The endpoint gave no complete answer within its total timeout."""


class BudgetSpent(TimeoutError):
    """The turn's time budget ran out: the call goes down the chain, towards the offline tier."""


def remaining(deadline: float | None) -> float | None:
    """Seconds left before the deadline (negative when past), or None without a deadline."""
    return None if deadline is None else deadline - time.time()


def attempt_limit(timeout_s: float | None, deadline: float | None) -> tuple[float | None, type[TimeoutError]]:
    """The wall-clock limit of the next attempt and the error raised when it passes; BudgetSpent at once when the
    budget is already gone."""
    left = remaining(deadline)
    if left is not None and left <= 0:
        raise BudgetSpent(f"time budget spent ({-left:.1f}s ago)")
    if left is not None and (timeout_s is None or left < timeout_s):
        return left, BudgetSpent
    return timeout_s, AttemptTimeout


def _expired(error: type[TimeoutError], limit: float) -> TimeoutError:
    if error is BudgetSpent:
        return BudgetSpent(f"time budget spent: no answer in the {limit:.1f}s left")
    return AttemptTimeout(f"no complete answer within the endpoint's total timeout of {limit:g}s")


def call_within(fn: Callable[[], R], limit: float | None, error: type[TimeoutError]) -> R:
    """fn() in a daemon thread, abandoned after `limit` seconds (None: no limit, called here)."""
    if limit is None:
        return fn()
    box: dict = {}
    context = contextvars.copy_context()  # callbacks and tracing follow the call into the thread

    def run() -> None:
        try:
            box["value"] = context.run(fn)
        except BaseException as exc:  # noqa: BLE001 - handed back to the caller's thread
            box["error"] = exc

    worker = threading.Thread(target=run, name="model-attempt", daemon=True)
    worker.start()
    worker.join(limit)
    if worker.is_alive():
        raise _expired(error, limit)
    if "error" in box:
        raise box["error"]
    return box["value"]

