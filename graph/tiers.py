"""Run one structured model call down a role's chain: local replicas -> cloud -> the node's offline tier.

The chain is LangChain's own `with_fallbacks`; `exception_key` hands each fallback the error that sent the call
down, so the route entry can say why a tier was skipped. A tier whose answer does not parse into the schema counts
as failed: a malformed answer never reaches the graph.

Within one tier: the factory's EndpointGuard skips an endpoint in cooldown without connecting; 429/5xx answers are
retried through `with_retry` (bounded, jittered backoff; a 429's Retry-After is waited for when short, and sets the
cooldown); timeouts and other errors move down the chain at once; a malformed answer gets one repair attempt with
the parse error. Local replicas are tried in the guard's order (least in flight or round robin, cooling last).
Every attempt runs under a hard wall-clock limit: the endpoint's total timeout, or what is left of the turn's time
budget (graph/deadline.py); once the budget is spent, the remaining tiers are passed over for the offline one.
"""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Callable, Sequence, TypeVar

from langchain_core.messages import AIMessage, BaseMessage, HumanMessage
from langchain_core.runnables import Runnable, RunnableConfig, RunnableLambda
from langchain_openai.chat_models.base import BaseChatOpenAI
from pydantic import BaseModel, ValidationError

from biopipelines.graph.deadline import BudgetSpent, acall_within, attempt_limit, call_within, remaining
from biopipelines.graph.endpoint_guard import EndpointCoolingDown
from biopipelines.graph.models import TierModel
from biopipelines.graph.schemas import RouteEntry, Tier
from biopipelines.nodes.prompts import render_prompt

T = TypeVar("T", bound=BaseModel)


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
        # `attempts` lands in the entry once RouteEntry carries it (graph/schemas.py belongs to another issue)
        extra = {"attempts": self.attempts} if "attempts" in RouteEntry.model_fields else {}
        return RouteEntry(
            node=node, tier=self.tier, model=self.model, endpoint=self.endpoint,
            latency_ms=round((time.perf_counter() - started) * 1000, 2), tokens_in=self.tokens_in,
            tokens_out=self.tokens_out, cost_usd=round(self.cost_usd, 8), fallback_reason=self.fallback_reason,
            turn=turn, **extra,
        )


def offline_route(node: str, started: float, turn: int, reason: str | None = None) -> RouteEntry:
    return Served(None, "offline", "offline", fallback_reason=reason).route(node, started, turn)


def _parse_into(schema: type[BaseModel]) -> Runnable:
    def parse(message: AIMessage) -> dict:
        try:
            text = message.content if isinstance(message.content, str) else json.dumps(message.content)
            return {"raw": message, "parsed": schema.model_validate_json(_strip_fences(text)), "parsing_error": None}
        except (ValidationError, ValueError) as exc:
            return {"raw": message, "parsed": None, "parsing_error": exc}

    return RunnableLambda(parse)


@lru_cache(maxsize=64)
def _json_schema(schema: type[BaseModel]) -> dict:
    """A schema class's JSON schema, built once per process (pydantic rebuilds it on every call: ~10 ms for
    IntentResult). Read-only: it is serialised into the request body, never changed."""
    return schema.model_json_schema()


def _with_response_format(tm: TierModel, response_format: dict) -> Runnable:
    """The chat model with `response_format` sent as it is, in the request body beside the endpoint's own extras.
    As a typed argument, the openai client walks the whole schema against its type hints on every call (1-2 ms
    for IntentResult, on the critical path of every structured call); in the body it is serialised as it is.
    Other chat models (injected fakes, other providers) take the typed argument."""
    if not isinstance(tm.chat, BaseChatOpenAI):
        return tm.chat.bind(response_format=response_format)
    return tm.chat.bind(extra_body={**(tm.chat.extra_body or {}), "response_format": response_format})


def _json_object_runnable(tm: TierModel, schema: type[BaseModel]) -> Runnable:
    """llama.cpp style: response_format json_object with a schema, parsed here."""
    return _with_response_format(tm, {"type": "json_object", "schema": _json_schema(schema)}) | _parse_into(schema)


def _json_schema_runnable(tm: TierModel, schema: type[BaseModel]) -> Runnable:
    """vLLM style: response_format json_schema (guided decoding). Parsed here rather than by the client, so a
    malformed answer comes back as text that the repair attempt can show the model."""
    spec = {"name": schema.__name__, "schema": _json_schema(schema)}
    return _with_response_format(tm, {"type": "json_schema", "json_schema": spec}) | _parse_into(schema)


def _strip_fences(text: str) -> str:
    text = text.strip()
    if text.startswith("```"):
        text = text.split("\n", 1)[1] if "\n" in text else ""
        text = text.rsplit("```", 1)[0]
    return text


def _structured(tm: TierModel, schema: type[BaseModel]) -> Runnable:
    if tm.method == "json_object":
        return _json_object_runnable(tm, schema)
    if tm.method == "json_schema":
        return _json_schema_runnable(tm, schema)
    return tm.chat.with_structured_output(schema, method=tm.method, include_raw=True)


def _short(exc: BaseException, limit: int = 300) -> str:
    text = f"{type(exc).__name__}: {exc}".replace("\n", " ")
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _text_parsed(tm: TierModel, parse: Callable[[str], Any]) -> Runnable:
    """A plain completion parsed by `parse` (for models with their own output format, e.g. Llama Guard)."""

    def parse_message(message: AIMessage) -> dict:
        try:
            return {"raw": message, "parsed": parse(str(message.content)), "parsing_error": None}
        except ValueError as exc:
            return {"raw": message, "parsed": None, "parsing_error": exc}

    return tm.chat | RunnableLambda(parse_message)


Check = Callable[[Any], Any]
RETRYABLE_STATUS = frozenset({429, 500, 502, 503, 504})
CHARS_PER_TOKEN = 3.5  # a cautious estimate for English and code; the real count comes back in usage_metadata


class _Retryable(RuntimeError):
    """A 429 or 5xx: worth another try on the same endpoint after a jittered backoff."""


class _Final(RuntimeError):
    """An error already described for the route entry; not retried."""


def _status(exc: BaseException) -> int | None:
    return getattr(exc, "status_code", None) or getattr(getattr(exc, "response", None), "status_code", None)


def _retry_after(exc: BaseException) -> float | None:
    headers = getattr(getattr(exc, "response", None), "headers", None) or {}
    try:
        return float(headers.get("retry-after")) if headers.get("retry-after") else None
    except (TypeError, ValueError):
        return None  # an HTTP date: treat as no hint


def describe(exc: BaseException) -> str:
    """`HTTP 429: ...` for server answers, `APITimeoutError: ...` for transport errors: the why of a fallback."""
    status = _status(exc)
    if status is not None:
        body = getattr(exc, "body", None)
        message = (body.get("message") if isinstance(body, dict) else None) or getattr(exc, "message", None) or exc
        return _short(Exception(f"HTTP {status}: {message}"))[len("Exception: "):]
    root, seen = exc, 0
    while (root.__cause__ or root.__context__) not in (None, root) and seen < 8:  # the transport's own error says most
        root, seen = root.__cause__ or root.__context__, seen + 1
    detail = f" ({_short(root, 160)})" if root is not exc else ""
    return _short(exc, 200) + detail


def _timed_out(exc: BaseException) -> bool:
    seen: BaseException | None = exc
    for _ in range(8):
        if seen is None:
            return False
        if "Timeout" in type(seen).__name__:
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def prompt_tokens(messages: Sequence[BaseMessage]) -> int:
    return int(sum(len(str(m.content)) for m in messages) / CHARS_PER_TOKEN)


class _TierCall:
    """One tier's attempts for one request: cooldown check, bounded retries, one repair of a malformed answer."""

    def __init__(self, tm: TierModel, answer: Runnable, check: Check | None, deadline: float | None = None) -> None:
        self.tm, self.answer, self.check, self.deadline = tm, answer, check, deadline
        self.attempts = 0
        self.tokens = [0, 0]
        routing = tm.guard.routing if tm.guard else None
        params = ({"multiplier": routing.retry_initial_s, "max": routing.retry_max_s,
                   "jitter": routing.retry_initial_s} if routing else None)
        self.max_retry_after = routing.max_retry_after_s if routing else 0.0
        self.retrying = RunnableLambda(self._attempt, afunc=self._aattempt, name="attempt").with_retry(
            retry_if_exception_type=(_Retryable,), stop_after_attempt=1 + tm.max_retries,
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
        status = _status(exc) if exc is not None else None
        hint = _retry_after(exc) if status == 429 else None
        if self.tm.guard is not None:
            # a call that timed out already spent a whole timeout: cool down at once rather than spend more
            self.tm.guard.release(self.tm.endpoint, describe(exc) if exc else None, hint,
                                  open_now=exc is not None and self.tm.guard.routing.open_on_timeout
                                  and _timed_out(exc))
        if exc is None:
            return None, 0.0
        if status in RETRYABLE_STATUS and (hint is None or hint <= self.max_retry_after):
            wait, left = hint or 0.0, remaining(self.deadline)
            return _Retryable(describe(exc)), wait if left is None else min(wait, max(0.0, left))
        if hint is not None:
            return _Final(f"{describe(exc)} (Retry-After {hint:g}s: longer than we wait)"), 0.0
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

    async def _aattempt(self, messages: list[BaseMessage], config: RunnableConfig) -> dict:
        limit, expired = attempt_limit(self.tm.timeout_s, self.deadline)
        self._enter()
        try:
            out = await acall_within(lambda: self.answer.ainvoke(messages, config), limit, expired)
        except Exception as exc:  # noqa: BLE001
            error, wait = self._leave(exc)
            await asyncio.sleep(wait)
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
                    HumanMessage(render_prompt("repair_json", error=_short(problem, 500)))]
        tokens_in, tokens_out = self.tokens
        cost = self.tm.power_usd_per_s * (time.perf_counter() - started)
        if self.tm.price is not None:
            cost += (tokens_in * self.tm.price.input + tokens_out * self.tm.price.output) / 1e6
        reason = _short(inputs["error"]) if inputs.get("error") else None
        return Served(value, self.tm.tier, self.tm.model_name, self.tm.endpoint, tokens_in, tokens_out, cost, reason,
                      attempts=self.attempts)

    def _failed(self, exc: BaseException) -> TierFailed:
        if isinstance(exc, EndpointCoolingDown):
            return TierFailed(f"{self.where()}: skipped, {exc}")
        tries = f" after {self.attempts} attempts" if self.attempts > 1 else ""
        text = str(exc) if isinstance(exc, (_Retryable, _Final)) else describe(exc)
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

    async def ainvoke(self, inputs: dict, config: RunnableConfig) -> Served:
        started = time.perf_counter()
        self._precheck(inputs["messages"])
        messages = inputs["messages"]
        while True:
            try:
                out = await self.retrying.ainvoke(messages, config)
            except Exception as exc:  # noqa: BLE001
                raise self._failed(exc) from exc
            result = self._finish(out, inputs, started)
            if isinstance(result, Served):
                return result
            messages = result


def _chain(inputs: dict, failure: TierFailed) -> TierFailed:
    """Keep the earlier tiers' reasons: the offline entry then says why every tier above it was passed over."""
    before = inputs.get("error")
    return TierFailed(f"{before}; then {failure}"[-900:]) if before else failure


def _tier_runnable(tm: TierModel, answer: Runnable, check: Check | None, deadline: float | None) -> Runnable:
    def call(inputs: dict, config: RunnableConfig) -> Served:
        try:
            return _TierCall(tm, answer, check, deadline).invoke(inputs, config)
        except TierFailed as exc:
            raise _chain(inputs, exc) from exc

    async def acall(inputs: dict, config: RunnableConfig) -> Served:
        try:
            return await _TierCall(tm, answer, check, deadline).ainvoke(inputs, config)
        except TierFailed as exc:
            raise _chain(inputs, exc) from exc

    return RunnableLambda(call, afunc=acall, name=f"{tm.tier}:{tm.model_name}")


def _offline_runnable(offline: Callable[[], Any], role: str) -> Runnable:
    def call(inputs: dict) -> Served:
        error = inputs.get("error")
        reason = _short(error, 900) if error else f"no model configured for role {role!r}"
        return Served(offline(), "offline", "offline", fallback_reason=reason)

    async def acall(inputs: dict) -> Served:
        return call(inputs)

    return RunnableLambda(call, afunc=acall, name="offline")


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


def structured_chain(tiers: Sequence[TierModel], schema: type[BaseModel], offline: Callable[[], Any], role: str,
                     check: Check | None = None, deadline: float | None = None) -> Runnable:
    """The role's chain for a `schema` answer; invoke or ainvoke it with {"messages": [...]}."""
    answers = [(tm, _structured(tm, schema)) for tm in order_replicas(tiers)]
    return build_chain(answers, offline, role, check, deadline)


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
    return structured_chain(tiers, schema, offline, role, check, deadline).invoke({"messages": messages}, config)


async def acall_structured(
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
    """call_structured through `ainvoke`: many calls share one event loop and the factory's endpoint guard."""
    chain = structured_chain(tiers, schema, offline, role, check, deadline)
    return await chain.ainvoke({"messages": messages}, config)


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
    answers = [(tm, _text_parsed(tm, parse)) for tm in order_replicas(tiers)]
    return build_chain(answers, offline, role, deadline=deadline).invoke({"messages": messages}, config)
