"""Errors of the module library."""

from __future__ import annotations

from biopipelines.core.errors import ConfigError


class UnsupportedAnalysis(ValueError):
    """The library cannot serve this request as asked: an analysis type without a recipe, or a tool (or step) the
    recipe cannot use. The message says what is supported; `closest` names the nearest recipe, if any.

    A ValueError, so a model's advice that leads here is rejected like any other unusable structured output.
    """

    def __init__(self, message: str, closest: str | None = None, supported: list[str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.closest = closest
        self.supported = list(supported or [])


class CatalogueError(ConfigError):
    """A catalogue file (module, recipe, types, organisms) is malformed or inconsistent; the message names it."""
