"""Run one structured model call down a role's chain: local replicas -> cloud -> the node's offline tier.

The chain is LangChain's own `with_fallbacks`; `exception_key` hands each fallback the error that sent the call
down, so the route entry can say why a tier was skipped. A tier whose answer does not parse into the schema counts
as failed: a malformed answer never reaches the graph.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import Any, Callable, Sequence, TypeVar

from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.runnables import Runnable, RunnableConfig, RunnableLambda
from pydantic import BaseModel, ValidationError

from graph.models import TierModel
from graph.schemas import RouteEntry, Tier

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

    def route(self, node: str, started: float, turn: int) -> RouteEntry:
        return RouteEntry(
            node=node, tier=self.tier, model=self.model, endpoint=self.endpoint,
            latency_ms=round((time.perf_counter() - started) * 1000, 2), tokens_in=self.tokens_in,
            tokens_out=self.tokens_out, cost_usd=round(self.cost_usd, 8), fallback_reason=self.fallback_reason,
            turn=turn,
        )


def offline_route(node: str, started: float, turn: int, reason: str | None = None) -> RouteEntry:
    return Served(None, "offline", "offline", fallback_reason=reason).route(node, started, turn)


def _json_object_runnable(tm: TierModel, schema: type[BaseModel]) -> Runnable:
    """llama.cpp style: response_format json_object with a schema, parsed here."""
    bound = tm.chat.bind(response_format={"type": "json_object", "schema": schema.model_json_schema()})

    def parse(message: AIMessage) -> dict:
        try:
            text = message.content if isinstance(message.content, str) else json.dumps(message.content)
            return {"raw": message, "parsed": schema.model_validate_json(_strip_fences(text)), "parsing_error": None}
        except (ValidationError, ValueError) as exc:
            return {"raw": message, "parsed": None, "parsing_error": exc}

    return bound | RunnableLambda(parse)


def _strip_fences(text: str) -> str:
    text = text.strip()
    if text.startswith("```"):
        text = text.split("\n", 1)[1] if "\n" in text else ""
        text = text.rsplit("```", 1)[0]
    return text


def _structured(tm: TierModel, schema: type[BaseModel]) -> Runnable:
    if tm.method == "json_object":
        return _json_object_runnable(tm, schema)
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


def _tier_runnable(tm: TierModel, answer: Runnable, check: Check | None) -> Runnable:
    def call(inputs: dict, config: RunnableConfig) -> Served:
        try:
            out = answer.invoke(inputs["messages"], config)
        except Exception as exc:  # any transport or server error sends the call down the chain
            raise TierFailed(f"{tm.tier} {tm.model_name} at {tm.endpoint}: {_short(exc)}") from exc
        if out.get("parsing_error") is not None or out.get("parsed") is None:
            problem = out.get("parsing_error") or "empty answer"
            raise TierFailed(f"{tm.tier} {tm.model_name} at {tm.endpoint}: malformed answer: {problem}"[:400])
        value = out["parsed"]
        if check is not None:
            try:
                value = check(value)
            except ValueError as exc:  # well-formed but unusable (an unknown slug, a tool not in the library...)
                raise TierFailed(f"{tm.tier} {tm.model_name} at {tm.endpoint}: rejected answer: {exc}"[:400]) from exc
        usage = getattr(out.get("raw"), "usage_metadata", None) or {}
        tokens_in, tokens_out = usage.get("input_tokens", 0), usage.get("output_tokens", 0)
        cost = 0.0
        if tm.price is not None:
            cost = (tokens_in * tm.price.input + tokens_out * tm.price.output) / 1e6
        reason = _short(inputs["error"]) if inputs.get("error") else None
        return Served(value, tm.tier, tm.model_name, tm.endpoint, tokens_in, tokens_out, cost, reason)

    return RunnableLambda(call, name=f"{tm.tier}:{tm.model_name}")


def _offline_runnable(offline: Callable[[], Any], role: str) -> Runnable:
    def call(inputs: dict) -> Served:
        error = inputs.get("error")
        reason = _short(error) if error else f"no model configured for role {role!r}"
        return Served(offline(), "offline", "offline", fallback_reason=reason)

    return RunnableLambda(call, name="offline")


def build_chain(answers: Sequence[tuple[TierModel, Runnable]], offline: Callable[[], Any], role: str,
                check: Check | None = None) -> Runnable:
    runnables = [_tier_runnable(tm, answer, check) for tm, answer in answers] + [_offline_runnable(offline, role)]
    if len(runnables) == 1:
        return runnables[0]
    return runnables[0].with_fallbacks(runnables[1:], exception_key="error")


def call_structured(
    tiers: Sequence[TierModel],
    schema: type[T],
    messages: list[BaseMessage],
    offline: Callable[[], Any],
    role: str,
    *,
    check: Check | None = None,
    config: RunnableConfig | None = None,
) -> Served:
    """Ask the role's chain for a `schema` answer; `check` may reject a parsed answer; the last resort is `offline()`."""
    answers = [(tm, _structured(tm, schema)) for tm in tiers]
    return build_chain(answers, offline, role, check).invoke({"messages": messages}, config)


def call_text(
    tiers: Sequence[TierModel],
    parse: Callable[[str], Any],
    messages: list[BaseMessage],
    offline: Callable[[], Any],
    role: str,
    *,
    config: RunnableConfig | None = None,
) -> Served:
    """Like call_structured, for models with their own text format; `parse` raises ValueError on a bad answer."""
    answers = [(tm, _text_parsed(tm, parse)) for tm in tiers]
    return build_chain(answers, offline, role).invoke({"messages": messages}, config)
