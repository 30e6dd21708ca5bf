"""Run one model call down a role's chain: local replicas -> cloud -> the node's offline tier.

The chain is LangChain's own `with_fallbacks`; `exception_key` hands each fallback the error that sent the call
down, so the route entry can say why a tier was skipped. A tier whose answer does not parse into the schema counts
as failed: a malformed answer never reaches the graph. Within a tier, llm/attempt.py retries and repairs. Local
replicas are tried in the guard's order (least in flight or round robin, cooling last). Every attempt runs under a
hard wall-clock limit: the endpoint's total timeout, or what is left of the turn's time budget (llm/deadline.py);
once the budget is spent, the remaining tiers are passed over for the offline one.

Calls are synchronous: the graph's nodes are, and LangGraph runs them in threads under `ainvoke`, so many sessions
still share the factory's endpoint guard.
"""

from __future__ import annotations

from typing import Any, Callable, Sequence, TypeVar

from langchain_core.messages import BaseMessage
from langchain_core.runnables import Runnable, RunnableConfig, RunnableLambda
from pydantic import BaseModel

from biopipelines.llm.attempt import Check, TierCall
from biopipelines.llm.factory import TierModel
from biopipelines.llm.failures import short
from biopipelines.llm.served import Served, TierFailed
from biopipelines.llm.structured import structured_answer, text_answer

T = TypeVar("T", bound=BaseModel)


def _chain(inputs: dict, failure: TierFailed) -> TierFailed:
    """Keep the earlier tiers' reasons: the offline entry then says why every tier above it was passed over."""
    before = inputs.get("error")
    return TierFailed(f"{before}; then {failure}"[-900:]) if before else failure


def _tier_runnable(tm: TierModel, answer: Runnable, check: Check | None, deadline: float | None) -> Runnable:
    def call(inputs: dict, config: RunnableConfig) -> Served:
        try:
            return TierCall(tm, answer, check, deadline).invoke(inputs, config)
        except TierFailed as exc:
            raise _chain(inputs, exc) from exc

    return RunnableLambda(call, name=f"{tm.tier}:{tm.model_name}")


def _offline_runnable(offline: Callable[[], Any], role: str) -> Runnable:
    def call(inputs: dict) -> Served:
        error = inputs.get("error")
        reason = short(error, 900) if error else f"no model configured for role {role!r}"
        return Served(offline(), "offline", "offline", fallback_reason=reason)

    return RunnableLambda(call, name="offline")


def order_replicas(tiers: Sequence[TierModel]) -> list[TierModel]:
    """Local replicas in the guard's order (healthy first, least in flight / round robin), then the rest as given."""
    local = [t for t in tiers if t.tier == "local"]
    guard = next((t.guard for t in local if t.guard is not None), None)
    if guard is None or len(local) < 2:
        return list(tiers)
    return guard.order(local, lambda t: t.endpoint) + [t for t in tiers if t.tier != "local"]


def build_chain(answers: Sequence[tuple[TierModel, Runnable]], offline: Callable[[], Any], role: str,
                check: Check | None = None, deadline: float | None = None) -> Runnable:
    """Each tier in turn, then `offline()`; `deadline` (wall-clock seconds) bounds every attempt."""
    runnables = [_tier_runnable(tm, answer, check, deadline) for tm, answer in answers]
    runnables.append(_offline_runnable(offline, role))
    if len(runnables) == 1:
        return runnables[0]
    return runnables[0].with_fallbacks(runnables[1:], exception_key="error")


def _invoke(answers: Sequence[tuple[TierModel, Runnable]], offline: Callable[[], Any], role: str,
            check: Check | None, deadline: float | None, messages: list[BaseMessage],
            config: RunnableConfig | None) -> Served:
    """The chain's answer. With no tier there is nothing to fall back from: the offline tier is called directly, as
    the lone runnable would call it (a Runnable's callbacks and signature checks cost ~1 ms per call)."""
    if not answers:
        return Served(offline(), "offline", "offline", fallback_reason=f"no model configured for role {role!r}")
    return build_chain(answers, offline, role, check, deadline).invoke({"messages": messages}, config)


def call_structured(
    tiers: Sequence[TierModel],
    schema: type[T],
    messages: list[BaseMessage],
    offline: Callable[[], Any],
    role: str,
    *,
    check: Check | None = None,
    config: RunnableConfig | None = None,
    deadline: float | None = None,
) -> Served:
    """Ask the role's chain for a `schema` answer; `check` may reject a parsed answer; the last resort is `offline()`.
    `deadline` (the turn's, from state) bounds every model attempt."""
    answers = [(tm, structured_answer(tm, schema)) for tm in order_replicas(tiers)]
    return _invoke(answers, offline, role, check, deadline, messages, config)


def call_text(
    tiers: Sequence[TierModel],
    parse: Callable[[str], Any],
    messages: list[BaseMessage],
    offline: Callable[[], Any],
    role: str,
    *,
    config: RunnableConfig | None = None,
    deadline: float | None = None,
) -> Served:
    """Like call_structured, for models with their own text format; `parse` raises ValueError on a bad answer."""
    answers = [(tm, text_answer(tm, parse)) for tm in order_replicas(tiers)]
    return _invoke(answers, offline, role, None, deadline, messages, config)
