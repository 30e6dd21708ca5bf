"""Small helpers every node uses: the current request, the run's context, and timing."""

from __future__ import annotations

import time
from typing import Any

from langchain_core.messages import BaseMessage, HumanMessage

from graph.state import AgentState, RunContext


def message_text(message: BaseMessage | dict) -> str:
    content = message.get("content", "") if isinstance(message, dict) else message.content
    if isinstance(content, list):  # multimodal content blocks: keep the text parts
        return " ".join(b.get("text", "") if isinstance(b, dict) else str(b) for b in content)
    return str(content)


def last_user_text(state: AgentState) -> str:
    for message in reversed(state.get("messages", [])):
        role = message.get("role") if isinstance(message, dict) else message.type
        if role in ("human", "user") or isinstance(message, HumanMessage):
            return message_text(message)
    return ""


def run_context(runtime: Any) -> RunContext | dict | None:
    """The LangGraph runtime context (a RunContext from Python, a dict from Studio), or None."""
    return getattr(runtime, "context", None) if runtime is not None else None


def now() -> float:
    return time.perf_counter()
