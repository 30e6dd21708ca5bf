"""Small helpers nodes share: the current request, the run's runtime, timing, a memo, and the prompt view of a
draft."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from typing import Any, Callable, Hashable

from langchain_core.messages import BaseMessage, HumanMessage
from langgraph.runtime import Runtime

from biopipelines.core.schemas import SafetyVerdict
from biopipelines.nodes.state import AgentState, RunContext


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


# What a node sees when called outside a graph run (tests, scripts): no context, so the builder's profile applies.
# In a run LangGraph injects the Runtime, its context coerced into RunContext (from Python or Studio alike).
NO_RUNTIME: Runtime[RunContext] = Runtime()


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


DRAFT_PROMPT_CHARS = 12_000  # about 4k tokens: leaves room for the answer in an 8k-context local model


def format_draft(files: dict[str, str], limit: int = DRAFT_PROMPT_CHARS) -> str:
    """The workflow's files for a prompt: the Snakefile and config first, then rules; cut at `limit` characters."""
    order = {"workflow/Snakefile": 0, "config/config.yaml": 1, "config/samples.tsv": 2}
    ranked = sorted((p for p in files if files[p] and not p.startswith(".test/")), key=lambda p: (order.get(p, 3), p))
    text = "\n\n".join(f"### {path}\n{files[path]}" for path in ranked)
    return text if len(text) <= limit else text[:limit] + "\n[... truncated]"


def refusal(verdict: SafetyVerdict) -> dict:
    """The turn's status and answer when `verdict` refuses; nothing otherwise."""
    if verdict.verdict != "refuse":
        return {}
    return {"status": "refused", "answer": f"I can't help with this request. {verdict.message}".strip()}
