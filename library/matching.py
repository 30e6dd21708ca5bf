"""Forgiving tool-name matching: "featureCounts", "subread", "Bowtie 2", "GATK", "HaplotypeCaller" ...

Names are compared after lowercasing and dropping everything but letters and digits, so case, spaces, hyphens and
underscores never matter. A strong match is a module's id, tool name or one of its aliases; a weak match is its
tool family or conda package name ("samtools" weakly matches samtools sort and samtools markdup), or a spelling
in the tool registry (library/tools.yaml) of a tool that is one module's whole family. Weak matches are used only
when nothing matches strongly.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable

from biopipelines.library.models import ModuleSpec, RegisteredTool

STEP_PREFIX = "step:"


def normalize(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


def step_marker(name: str) -> str | None:
    """The step name in a `step:trimming` entry of Entities.tools_requested / tools_excluded, else None."""
    return normalize(name[len(STEP_PREFIX):]) if name.lower().startswith(STEP_PREFIX) else None


class ToolIndex:
    """Module ids by normalised name."""

    def __init__(self, modules: Iterable[ModuleSpec], registry: Iterable[RegisteredTool] = ()) -> None:
        self._strong: dict[str, set[str]] = defaultdict(set)
        self._weak: dict[str, set[str]] = defaultdict(set)
        for module in modules:
            for name in [module.id, module.tool, *module.aliases]:
                self._strong[normalize(name)].add(module.id)
            for name in [module.family, *(p.name for p in module.packages)]:
                self._weak[normalize(name)].add(module.id)
        # A registered tool whose family is one module: its spellings name that module, from the registry only (not
        # again in meta.yaml). A spelling of a suite the library runs several programs of names no single module.
        families: dict[str, list[str]] = defaultdict(list)
        for module in modules:
            families[normalize(module.family)].append(module.id)
        self.registry_names: dict[str, list[str]] = {}  # module id -> the registry's spellings of its tool
        for tool in registry:
            family = families.get(normalize(tool.id), [])
            if len(family) == 1:
                self.registry_names[family[0]] = list(tool.aliases)
                for alias in tool.aliases:
                    self._weak[normalize(alias)].add(family[0])

    def match(self, name: str) -> set[str]:
        key = normalize(name)
        if not key:
            return set()
        return set(self._strong.get(key) or self._weak.get(key) or ())

    def runs(self, name: str, modules: Iterable[ModuleSpec]) -> bool:
        """Whether one of these modules runs the named tool, inside its rule included (hisat2 | samtools)."""
        key = normalize(name)
        return any(key in {normalize(t) for t in m.also_runs} for m in modules) or bool(
            self.match(name) & {m.id for m in modules})
