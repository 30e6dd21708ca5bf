"""The tool registry (library/tools.yaml): every spelling of every tool, read once per process."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from biopipelines.core.yaml_files import read_config
from biopipelines.library.errors import CatalogueError
from biopipelines.library.models import RegisteredTool, ToolRegistry

TOOLS_FILE = Path(__file__).resolve().parent / "tools.yaml"


@lru_cache(maxsize=4)
def load_tool_registry(path: Path = TOOLS_FILE) -> tuple[RegisteredTool, ...]:
    registry = read_config(ToolRegistry, path, CatalogueError)
    seen: set[str] = set()
    for tool in registry.tools:
        if tool.id in seen:
            raise CatalogueError(f"{path}: tool {tool.id!r} is listed twice")
        seen.add(tool.id)
    return tuple(registry.tools)
