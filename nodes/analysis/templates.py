"""The offline tier: one template per analysis kind, each giving the numbers now and a drawer for its figures."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Callable

from biopipelines.nodes.analysis.schemas import Analysis, Figure, ResultFiles

MODULES = {"de": "de", "peaks": "peaks", "variants": "variants", "taxa": "taxa", "single_cell": "single_cell"}


def template_for(files: ResultFiles) -> tuple[Analysis, Callable[[Path], list[Figure]]]:
    """(numbers and narrative, draw(folder) -> figures) for the kind of `files`; ValueError on unreadable data."""
    module = importlib.import_module(f"biopipelines.nodes.analysis.{MODULES[files.kind]}")
    return module.build(files)
