"""Structured-output schemas that only the LLM tiers use (the offline tiers produce core.schemas types directly)."""

from __future__ import annotations

from pydantic import BaseModel, Field


class PlanAdvice(BaseModel):
    """The planner model's choices among the recipe's allowed modules."""

    tools_requested: list[str] = Field(default_factory=list)
    tools_excluded: list[str] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)


class FileEdit(BaseModel):
    path: str = Field(description="Relative path inside the workflow directory")
    content: str = Field(description="The complete new content of the file")


class CodeFiles(BaseModel):
    """The coder model's changes to the rendered draft."""

    files: list[FileEdit] = Field(default_factory=list)
    summary: str = ""


# No length limits in these schemas: llama.cpp turns them into grammars whose size explodes (and can crash the
# server). The nodes check lengths after parsing instead.
class Review(BaseModel):
    concerns: list[str] = Field(default_factory=list, description="At most five short concerns")


class DocsOverview(BaseModel):
    overview: str = Field(description="One paragraph, at most 120 words")
