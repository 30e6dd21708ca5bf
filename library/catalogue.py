"""Load and validate the catalogue: modules, recipes, port types, analysis types and organisms.

`load_library()` reads every file once per catalogue folder (cached), so planning and rendering never touch the
disk for catalogue data again; the Jinja environment is built lazily and caches compiled templates.
"""

from __future__ import annotations

import difflib
from functools import cached_property, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import jinja2
from pydantic import ValidationError

from biopipelines.core import yaml_io
from biopipelines.core.schemas import Entities, StepChoice, WorkflowPlan
from biopipelines.core.yaml_files import one_line
from biopipelines.core.yaml_files import read_yaml as core_read_yaml
from biopipelines.library.errors import CatalogueError, UnsupportedAnalysis
from biopipelines.library.matching import ToolIndex
from biopipelines.library.models import AnalysisType, ModuleSpec, Organism, PortType, Recipe, StepFacts
from biopipelines.library.tool_registry import load_tool_registry

if TYPE_CHECKING:
    from collections.abc import Callable

LIBRARY_ROOT = Path(__file__).resolve().parent
MODULE_FILES = ("meta.yaml", "rule.smk.j2", "environment.yaml", "card.md")


def read_yaml(path: Path) -> object:
    return core_read_yaml(path, CatalogueError)


def parse_model(model: Callable, data: object, path: Path, what: str = ""):
    where = f"{path}{' ' + what if what else ''}"
    try:
        return model(**data) if isinstance(data, dict) else model(data)
    except ValidationError as exc:
        raise CatalogueError(one_line(where, exc)) from None
    except TypeError as exc:
        raise CatalogueError(f"{where}: {exc}") from None


class Library:
    """The module catalogue and the operations on it: planning, recipe descriptions, step facts."""

    def __init__(self, root: Path, modules: dict[str, ModuleSpec], recipes: dict[str, Recipe],
                 analysis_types: dict[str, AnalysisType], types: dict[str, PortType],
                 organisms: list[Organism]) -> None:
        self.root = root
        self.modules = modules
        self.recipes = recipes
        self.analysis_types = analysis_types
        self.types = types
        self.organisms = organisms
        self._texts: dict[str, str] = {}
        self._check_references()

    # -- loading checks ------------------------------------------------------------------------------------------
    def _check_references(self) -> None:
        for module in self.modules.values():
            for port in module.inputs + module.outputs:
                if port.type not in self.types:
                    raise CatalogueError(f"{self.module_dir(module.id)}/meta.yaml: port {port.name} has unknown "
                                         f"type {port.type!r} (declare it in library/types.yaml)")
            if module.script and not (self.module_dir(module.id) / "scripts" / module.script).is_file():
                raise CatalogueError(f"{self.module_dir(module.id)}: script {module.script} is missing")
        for recipe in self.recipes.values():
            for step in recipe.steps:
                for option in step.options:
                    if option.module not in self.modules:
                        raise CatalogueError(f"{self.root}/recipes/{recipe.slug}.yaml: step {step.id} names unknown "
                                             f"module {option.module!r}")
                unknown = set(step.organisms) - {o.id for o in self.organisms}
                if unknown:
                    raise CatalogueError(f"{self.root}/recipes/{recipe.slug}.yaml: step {step.id} names unknown "
                                         f"organism(s) {sorted(unknown)} (ids of references.yaml)")
        for analysis in self.analysis_types.values():
            for slug in (analysis.recipe, analysis.closest):
                if slug is not None and slug not in self.recipes:
                    raise CatalogueError(f"{self.root}/analysis_types.yaml: {analysis.slug} names unknown recipe "
                                         f"{slug!r}")

    # -- look-ups ------------------------------------------------------------------------------------------------
    def module_dir(self, module_id: str) -> Path:
        return self.root / "modules" / module_id

    def module(self, module_id: str) -> ModuleSpec:
        try:
            return self.modules[module_id]
        except KeyError:
            raise CatalogueError(f"no module {module_id!r} in {self.root / 'modules'}") from None

    @cached_property
    def tool_index(self) -> ToolIndex:
        return ToolIndex(self.modules.values(), load_tool_registry())

    def names(self, module_id: str) -> list[str]:
        """Every name of a module: its id, tool, own aliases, and the registry's spellings of its tool."""
        module = self.module(module_id)
        own = [module.id, module.tool, *module.aliases]
        return own + [n for n in self.tool_index.registry_names.get(module_id, []) if n not in own]

    @cached_property
    def templates(self) -> jinja2.Environment:
        """Jinja templates of the renderers and the modules' rule templates (`<module>/rule.smk.j2`)."""
        return jinja2.Environment(
            loader=jinja2.FileSystemLoader([self.root / "templates", self.root / "modules"]),
            undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
            autoescape=False)

    def read_text(self, relative: str) -> str:
        """A catalogue file's text, read once (environment files, scripts, cards)."""
        if relative not in self._texts:
            self._texts[relative] = (self.root / relative).read_text(encoding="utf-8")
        return self._texts[relative]

    def organism(self, name: str | None) -> Organism | None:
        if not name:
            return None
        wanted = name.strip().lower().replace("_", " ")
        for organism in self.organisms:
            names = {organism.id.replace("_", " "), organism.name.lower(), *(a.lower() for a in organism.aliases)}
            if wanted in names:
                return organism
        return None

    # -- recipes -------------------------------------------------------------------------------------------------
    def has_recipe(self, analysis_type: str | None) -> bool:
        if analysis_type in self.recipes:
            return True
        analysis = self.analysis_types.get(analysis_type or "")
        return bool(analysis and analysis.recipe)

    def recipe_for(self, analysis_type: str | None) -> Recipe:
        """The recipe serving an analysis type, or UnsupportedAnalysis with the closest recipe."""
        supported = sorted(self.recipes)
        analysis = self.analysis_types.get(analysis_type or "")
        if analysis and analysis.recipe:
            return self.recipes[analysis.recipe]
        if analysis_type in self.recipes:
            return self.recipes[analysis_type]
        if analysis is not None:
            closest = analysis.closest
            gap = f": {analysis.gap}" if analysis.gap else ""
            hint = (f" The closest supported workflow is {closest} ({self.recipes[closest].title}), which is a "
                    f"different analysis{gap}. Ask for it explicitly if it helps.") if closest else ""
            raise UnsupportedAnalysis(
                f"{analysis.title} ({analysis.slug}) has no recipe in the module library yet. Supported analyses: "
                f"{', '.join(supported)}.{hint}", closest=closest, supported=supported)
        guess = difflib.get_close_matches(analysis_type or "", list(self.analysis_types), n=1, cutoff=0.5)
        known = self.analysis_types.get(guess[0]) if guess else None
        closest = (known.recipe or known.closest) if known else None
        raise UnsupportedAnalysis(
            f"Unknown analysis type {analysis_type!r}. Supported analyses: {', '.join(supported)}."
            + (f" Did you mean {guess[0]}?" if guess else ""), closest=closest, supported=supported)

    def describe_recipe(self, analysis_type: str) -> str:
        """The recipe's steps and allowed modules, one line per step (for the planner model's prompt)."""
        recipe = self.recipe_for(analysis_type)
        lines = []
        for step in recipe.steps:
            default = self.modules[step.default]
            options = [f"{default.tool} (default)"] + [
                f"{self.modules[o.module].tool}" + (f": {o.when}" if o.when else "") for o in step.alternatives]
            flags = " [optional]" if step.optional else ""
            lines.append(f"- {step.id}: {step.title}{flags}: " + "; ".join(options))
        return "\n".join(lines)

    def step_facts(self, step: StepChoice) -> StepFacts:
        """What the README shows for a planned step: tool, pinned version, citation."""
        module = self.module(step.module)
        card = self.card_front_matter(module.id)
        return StepFacts(step=step.step, module=module.id, tool=module.tool, version=module.package.version,
                         package=module.package.name, reason=step.reason, doi=card.get("doi"),
                         citation=card.get("citation"))

    def card_front_matter(self, module_id: str) -> dict:
        text = self.read_text(f"modules/{module_id}/card.md")
        parts = text.split("---", 2)
        if len(parts) < 3 or parts[0].strip():
            raise CatalogueError(f"{self.module_dir(module_id)}/card.md: no YAML front matter")
        data = yaml_io.load(parts[1])
        if not isinstance(data, dict):
            raise CatalogueError(f"{self.module_dir(module_id)}/card.md: front matter is not a mapping")
        return data

    # -- planning ------------------------------------------------------------------------------------------------
    def plan(self, analysis_type: str | None, entities: Entities,
             previous: WorkflowPlan | None = None) -> WorkflowPlan:
        """A WorkflowPlan for the analysis type, or UnsupportedAnalysis (see library.planning)."""
        from biopipelines.library.planning import plan_workflow

        return plan_workflow(self, analysis_type, entities, previous)


def _load_modules(root: Path) -> dict[str, ModuleSpec]:
    modules = {}
    for folder in sorted(p for p in (root / "modules").iterdir() if p.is_dir()):
        meta = folder / "meta.yaml"
        if not meta.is_file():
            raise CatalogueError(f"{folder}: module folder without meta.yaml")
        module = parse_model(ModuleSpec, read_yaml(meta), meta)
        if module.id != folder.name:
            raise CatalogueError(f"{meta}: id {module.id!r} differs from its folder name {folder.name!r}")
        modules[module.id] = module
    return modules


def _load_recipes(root: Path) -> dict[str, Recipe]:
    recipes = {}
    for path in sorted((root / "recipes").glob("*.yaml")):
        recipe = parse_model(Recipe, read_yaml(path), path)
        if recipe.slug != path.stem:
            raise CatalogueError(f"{path}: slug {recipe.slug!r} differs from the file name")
        recipes[recipe.slug] = recipe
    return recipes


def _load_list(path: Path, key: str, model: Callable) -> list:
    data = read_yaml(path)
    if not isinstance(data, dict) or not isinstance(data.get(key), (list, dict)):
        raise CatalogueError(f"{path}: expected a top-level `{key}:`")
    items = data[key]
    if isinstance(items, dict):
        return [(name, parse_model(model, value, path, name)) for name, value in items.items()]
    return [parse_model(model, item, path) for item in items]


@lru_cache(maxsize=4)
def _load(root: Path) -> Library:
    analysis_types = {a.slug: a for a in _load_list(root / "analysis_types.yaml", "analysis_types", AnalysisType)}
    types = dict(_load_list(root / "types.yaml", "types", PortType))
    organisms = _load_list(root / "references.yaml", "organisms", Organism)
    return Library(root, _load_modules(root), _load_recipes(root), analysis_types, types, organisms)


def load_library(root: Path | str | None = None) -> Library:
    """The catalogue under `root` (default: this package's folder), loaded and validated once per process."""
    return _load(Path(root).resolve() if root else LIBRARY_ROOT)
