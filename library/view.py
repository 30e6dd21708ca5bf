"""What planning reads of the catalogue. library.catalogue.Library satisfies it; planning and choices type against
this protocol, so they never import the catalogue that calls them (no import loop)."""

from __future__ import annotations

from typing import Protocol

from biopipelines.library.matching import ToolIndex
from biopipelines.library.models import ModuleSpec, Organism, PortType, Recipe


class CatalogueView(Protocol):
    """The catalogue as planning sees it."""

    modules: dict[str, ModuleSpec]
    types: dict[str, PortType]

    @property
    def tool_index(self) -> ToolIndex: ...

    def module(self, module_id: str) -> ModuleSpec: ...

    def organism(self, name: str | None) -> Organism | None: ...

    def recipe_for(self, analysis_type: str | None) -> Recipe: ...
