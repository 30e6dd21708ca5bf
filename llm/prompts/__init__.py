"""The model chain's own prompts (the repair of a malformed answer), kept beside the code that sends them."""

from __future__ import annotations

from pathlib import Path

from biopipelines.core.prompt_files import render_prompt_file

PROMPTS_DIR = Path(__file__).resolve().parent


def render_prompt(name: str, **values: object) -> str:
    return render_prompt_file(PROMPTS_DIR / f"{name}.md", **values)
