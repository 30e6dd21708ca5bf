"""Structured output, per endpoint: the answer runnable for a schema in the endpoint's method.

vLLM takes `json_schema` (guided decoding); llama.cpp takes `json_object` with a schema and rejects `json_schema`;
other servers take `function_calling`. Each runnable answers {"raw", "parsed", "parsing_error"}, as LangChain's
`with_structured_output(include_raw=True)` does, so a malformed answer comes back as text the repair attempt can show.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any, Callable

from langchain_core.messages import AIMessage
from langchain_core.runnables import Runnable, RunnableLambda
from pydantic import BaseModel, ValidationError

from biopipelines.llm.factory import TierModel


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
    # Imported here: the offline tier never gets this far, and langchain_openai costs a cold CLI about a second.
    from langchain_openai.chat_models.base import BaseChatOpenAI

    if not isinstance(tm.chat, BaseChatOpenAI):
        return tm.chat.bind(response_format=response_format)
    return tm.chat.bind(extra_body={**(tm.chat.extra_body or {}), "response_format": response_format})


def _strip_fences(text: str) -> str:
    text = text.strip()
    if text.startswith("```"):
        text = text.split("\n", 1)[1] if "\n" in text else ""
        text = text.rsplit("```", 1)[0]
    return text


def structured_answer(tm: TierModel, schema: type[BaseModel]) -> Runnable:
    """The tier's model answering in `schema`, by the endpoint's structured-output method."""
    if tm.method == "json_object":
        spec: dict = {"type": "json_object", "schema": _json_schema(schema)}
        return _with_response_format(tm, spec) | _parse_into(schema)
    if tm.method == "json_schema":
        spec = {"type": "json_schema", "json_schema": {"name": schema.__name__, "schema": _json_schema(schema)}}
        return _with_response_format(tm, spec) | _parse_into(schema)
    return tm.chat.with_structured_output(schema, method=tm.method, include_raw=True)


def text_answer(tm: TierModel, parse: Callable[[str], Any]) -> Runnable:
    """A plain completion parsed by `parse` (for models with their own output format, e.g. Llama Guard)."""

    def parse_message(message: AIMessage) -> dict:
        try:
            return {"raw": message, "parsed": parse(str(message.content)), "parsing_error": None}
        except ValueError as exc:
            return {"raw": message, "parsed": None, "parsing_error": exc}

    return tm.chat | RunnableLambda(parse_message)
