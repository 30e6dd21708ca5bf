"""Prompts live as Markdown files beside this module; nodes load them by name and never inline prompt text."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

PROMPTS_DIR = Path(__file__).resolve().parent


@lru_cache(maxsize=None)
def load_prompt(name: str) -> str:
    return (PROMPTS_DIR / f"{name}.md").read_text(encoding="utf-8")


def render_prompt(name: str, **values: object) -> str:
    """Fill `{placeholders}`; literal braces in prompt files are written doubled."""
    return load_prompt(name).format(**values)
