"""A scripted chat model for tests: it answers from a list and records every prompt it was sent."""

from __future__ import annotations

from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from pydantic import Field


class ScriptedChatModel(BaseChatModel):
    """Replies with `script` in order (the last reply repeats); an Exception in the script is raised instead."""

    script: list[Any]
    model_name: str = "scripted"
    calls: list[list[BaseMessage]] = Field(default_factory=list)

    @property
    def _llm_type(self) -> str:
        return "scripted"

    def _generate(self, messages: list[BaseMessage], stop=None, run_manager=None, **kwargs: Any) -> ChatResult:
        self.calls.append(list(messages))
        reply = self.script[min(len(self.calls), len(self.script)) - 1]
        if isinstance(reply, Exception):
            raise reply
        text = reply if isinstance(reply, str) else reply.model_dump_json()
        message = AIMessage(text, usage_metadata={"input_tokens": 11, "output_tokens": 7, "total_tokens": 18})
        return ChatResult(generations=[ChatGeneration(message=message)])

    def prompt_text(self, call: int) -> str:
        return "\n".join(str(m.content) for m in self.calls[call])
