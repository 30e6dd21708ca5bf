"""Prompts live as Markdown files beside this module; nodes load them by name and never inline prompt text."""

from __future__ import annotations

from pathlib import Path

from biopipelines.core.prompt_files import load_prompt_file, render_prompt_file

PROMPTS_DIR = Path(__file__).resolve().parent


def load_prompt(name: str) -> str:
    return load_prompt_file(PROMPTS_DIR / f"{name}.md")


def render_prompt(name: str, **values: object) -> str:
    """Fill `{placeholders}`; literal braces in prompt files are written doubled."""
    return render_prompt_file(PROMPTS_DIR / f"{name}.md", **values)
