"""Small helpers nodes share: the current request, the run's runtime, timing, a memo, and the prompt view of a
draft."""

from __future__ import annotations

import time

from langchain_core.messages import BaseMessage, HumanMessage
from langgraph.runtime import Runtime

from biopipelines.core.schemas import SafetyVerdict
from biopipelines.nodes.memo import Memo
from biopipelines.nodes.state import AgentState, RunContext

__all__ = ["Memo", "NO_RUNTIME", "format_draft", "last_user_text", "message_text", "now", "refusal"]


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
