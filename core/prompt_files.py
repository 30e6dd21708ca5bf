"""Prompts are Markdown files kept beside the code that sends them; this reads and fills them, never inlines them."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path


@lru_cache(maxsize=None)
def load_prompt_file(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def render_prompt_file(path: Path, **values: object) -> str:
    """Fill `{placeholders}`; literal braces in prompt files are written doubled."""
    return load_prompt_file(path).format(**values)
