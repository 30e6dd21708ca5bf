"""One tier's attempts for one request: the endpoint guard, bounded retries, one repair of a malformed answer.

Within one tier: the factory's EndpointGuard skips an endpoint in cooldown without connecting; 429/5xx answers are
retried through `with_retry` (bounded, jittered backoff; a 429's Retry-After is waited for when short, and sets the
cooldown); timeouts and other errors move down the chain at once; a malformed answer gets one repair attempt with
the parse error. Every attempt runs under a hard wall-clock limit (llm/deadline.py).
"""

from __future__ import annotations

import time
from typing import Any, Callable, Sequence

from langchain_core.messages import AIMessage, BaseMessage, HumanMessage
from langchain_core.runnables import Runnable, RunnableConfig, RunnableLambda

from biopipelines.llm.deadline import BudgetSpent, attempt_limit, call_within, remaining
from biopipelines.llm.endpoint_guard import EndpointCoolingDown
from biopipelines.llm.factory import TierModel
from biopipelines.llm.failures import (RETRYABLE_STATUS, Final, Retryable, describe, retry_after, short, status_of,
                                       timed_out)
from biopipelines.llm.prompts import render_prompt
from biopipelines.llm.served import Served, TierFailed

Check = Callable[[Any], Any]
CHARS_PER_TOKEN = 3.5  # a cautious estimate for English and code; the real count comes back in usage_metadata


def prompt_tokens(messages: Sequence[BaseMessage]) -> int:
    return int(sum(len(str(m.content)) for m in messages) / CHARS_PER_TOKEN)


class TierCall:
    """One tier's attempts for one request: cooldown check, bounded retries, one repair of a malformed answer."""

    def __init__(self, tm: TierModel, answer: Runnable, check: Check | None, deadline: float | None = None) -> None:
        self.tm, self.answer, self.check, self.deadline = tm, answer, check, deadline
        self.attempts = 0
        self.tokens = [0, 0]
        routing = tm.guard.routing if tm.guard else None
        params = ({"multiplier": routing.retry_initial_s, "max": routing.retry_max_s,
                   "jitter": routing.retry_initial_s} if routing else None)
        self.max_retry_after = routing.max_retry_after_s if routing else 0.0
        self.retrying = RunnableLambda(self._attempt, name="attempt").with_retry(
            retry_if_exception_type=(Retryable,), stop_after_attempt=1 + tm.max_retries,
            wait_exponential_jitter=True, exponential_jitter_params=params)

    def where(self) -> str:
        return f"{self.tm.tier} {self.tm.model_name} at {self.tm.endpoint}"

    # -- one attempt: guard, call, classify the error -------------------------------------------------------------
    def _enter(self) -> None:
        if self.tm.guard is not None:
            self.tm.guard.acquire(self.tm.endpoint)  # raises EndpointCoolingDown: no connection is made
        self.attempts += 1

    def _leave(self, exc: BaseException | None) -> tuple[BaseException | None, float]:
        """Release the endpoint; return the error to raise (retryable or not) and how long to wait first."""
        if isinstance(exc, BudgetSpent):  # our limit, not the endpoint's fault: no failure is recorded
            if self.tm.guard is not None:
                self.tm.guard.abandon(self.tm.endpoint)
            return exc, 0.0
        status = status_of(exc) if exc is not None else None
        hint = retry_after(exc) if status == 429 else None
        if self.tm.guard is not None:
            # a call that timed out already spent a whole timeout: cool down at once rather than spend more
            self.tm.guard.release(self.tm.endpoint, describe(exc) if exc else None, hint,
                                  open_now=exc is not None and self.tm.guard.routing.open_on_timeout
                                  and timed_out(exc))
        if exc is None:
            return None, 0.0
        if status in RETRYABLE_STATUS and (hint is None or hint <= self.max_retry_after):
            wait, left = hint or 0.0, remaining(self.deadline)
            return Retryable(describe(exc)), wait if left is None else min(wait, max(0.0, left))
        if hint is not None:
            return Final(f"{describe(exc)} (Retry-After {hint:g}s: longer than we wait)"), 0.0
        return exc, 0.0

    def _count(self, out: dict) -> dict:
        usage = getattr(out.get("raw"), "usage_metadata", None) or {}
        self.tokens[0] += usage.get("input_tokens", 0)
        self.tokens[1] += usage.get("output_tokens", 0)
        return out

    def _attempt(self, messages: list[BaseMessage], config: RunnableConfig) -> dict:
        limit, expired = attempt_limit(self.tm.timeout_s, self.deadline)
        self._enter()
        try:
            out = call_within(lambda: self.answer.invoke(messages, config), limit, expired)
        except Exception as exc:  # noqa: BLE001 - classified below; every error either retries or moves down
            error, wait = self._leave(exc)
            time.sleep(wait)
            if error is exc:
                raise
            raise error from exc
        self._leave(None)
        return self._count(out)

    # -- the tier as a whole ---------------------------------------------------------------------------------------
    def _precheck(self, messages: list[BaseMessage]) -> None:
        limit = self.tm.context_tokens
        if limit and prompt_tokens(messages) > limit:
            raise TierFailed(f"{self.where()}: context too long (~{prompt_tokens(messages)} tokens > {limit})")

    def _finish(self, out: dict, inputs: dict, started: float) -> Served | list[BaseMessage]:
        """A Served, or the messages for a repair attempt when the answer did not parse."""
        problem = out.get("parsing_error") or (None if out.get("parsed") is not None else "empty answer")
        value = out.get("parsed")
        if problem is None and self.check is not None:
            try:
                value = self.check(value)
            except ValueError as exc:  # well-formed but unusable (an unknown slug, a tool not in the library...)
                raise TierFailed(f"{self.where()}: rejected answer: {exc}"[:400]) from exc
        if problem is not None:
            raw = out.get("raw")
            if inputs.get("repaired") or not isinstance(raw, AIMessage) or raw.tool_calls:
                raise TierFailed(f"{self.where()}: malformed answer: {problem}"[:400])
            inputs["repaired"] = True
            return [*inputs["messages"], AIMessage(str(raw.content)[:4000]),
                    HumanMessage(render_prompt("repair_json", error=short(problem, 500)))]
        tokens_in, tokens_out = self.tokens
        cost = self.tm.power_usd_per_s * (time.perf_counter() - started)
        if self.tm.price is not None:
            cost += (tokens_in * self.tm.price.input + tokens_out * self.tm.price.output) / 1e6
        reason = short(inputs["error"]) if inputs.get("error") else None
        return Served(value, self.tm.tier, self.tm.model_name, self.tm.endpoint, tokens_in, tokens_out, cost, reason,
                      attempts=self.attempts)

    def _failed(self, exc: BaseException) -> TierFailed:
        if isinstance(exc, EndpointCoolingDown):
            return TierFailed(f"{self.where()}: skipped, {exc}")
        tries = f" after {self.attempts} attempts" if self.attempts > 1 else ""
        text = str(exc) if isinstance(exc, (Retryable, Final)) else describe(exc)
        return TierFailed(f"{self.where()}{tries}: {text}")

    def invoke(self, inputs: dict, config: RunnableConfig) -> Served:
        started = time.perf_counter()
        self._precheck(inputs["messages"])
        messages = inputs["messages"]
        while True:
            try:
                out = self.retrying.invoke(messages, config)
            except Exception as exc:  # noqa: BLE001 - any transport or server error sends the call down the chain
                raise self._failed(exc) from exc
            result = self._finish(out, inputs, started)
            if isinstance(result, Served):
                return result
            messages = result
