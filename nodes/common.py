"""Small helpers every node uses: the current request, the run's context, and timing."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from typing import Any, Callable, Hashable

from langchain_core.messages import BaseMessage, HumanMessage

from biopipelines.graph.state import AgentState, RunContext


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


class Memo:
    """A small thread-safe LRU memo for pure, per-process results (a rendered draft, a module's README facts):
    requests for the same plan or module then skip the YAML work. Values must be treated as read-only."""

    def __init__(self, size: int = 64) -> None:
        self._size = size
        self._data: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, make: Callable[[], Any]) -> Any:
        with self._lock:
            if key in self._data:
                self._data.move_to_end(key)
                return self._data[key]
        value = make()  # outside the lock: two threads may both compute a miss, and get equal values
        with self._lock:
            self._data[key] = value
            while len(self._data) > self._size:
                self._data.popitem(last=False)
        return value
