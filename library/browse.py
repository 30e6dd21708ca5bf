"""What the catalogue supports, as data for `biopipelines library list` / `library show` (and any other front end).

Summaries are pydantic models, so the JSON output and the text output come from the same values.
"""

from __future__ import annotations

import difflib

from pydantic import BaseModel

from biopipelines.library.catalogue import Library
from biopipelines.library.errors import CatalogueError
from biopipelines.library.matching import normalize


class ModuleSummary(BaseModel):
    id: str
    tool: str
    description: str
    package: str
    version: str
    debian: str | None  # "package version" when Debian packages the tool
    used_in: list[str]  # "recipe:step" where the module is the default or an alternative


class AnalysisSummary(BaseModel):
    slug: str
    title: str
    recipe: str | None
    closest: str | None


class Catalogue(BaseModel):
    analysis_types: list[AnalysisSummary]
    modules: list[ModuleSummary]


class ModuleDetail(ModuleSummary):
    family: str
    aliases: list[str]
    packages: list[dict]
    debian_packages: list[dict]
    inputs: list[dict]
    outputs: list[dict]
    params: dict[str, dict]
    threads: int
    resources: dict
    doi: str | None
    card: str


def _used_in(library: Library) -> dict[str, list[str]]:
    used: dict[str, list[str]] = {}
    for recipe in library.recipes.values():
        for step in recipe.steps:
            for option in step.options:
                used.setdefault(option.module, []).append(f"{recipe.slug}:{step.id}")
    return used


def _summary(library: Library, module_id: str, used: dict[str, list[str]]) -> dict:
    module = library.module(module_id)
    debian = module.debian[0] if module.debian else None
    return {"id": module.id, "tool": module.tool, "description": module.description,
            "package": module.package.name, "version": module.package.version,
            "debian": f"{debian.package} {debian.version}" if debian else None,
            "used_in": used.get(module.id, ["reference preparation (added when a step needs it)"])}


def catalogue(library: Library) -> Catalogue:
    used = _used_in(library)
    return Catalogue(
        analysis_types=[AnalysisSummary(slug=a.slug, title=a.title, recipe=a.recipe, closest=a.closest)
                        for a in library.analysis_types.values()],
        modules=[ModuleSummary(**_summary(library, m, used)) for m in sorted(library.modules)])


def find_module(library: Library, name: str) -> str:
    """The module id a user's tool name means ("STAR", "bwa mem", "featureCounts"), or CatalogueError."""
    if name in library.modules:
        return name
    matches = sorted(library.tool_index.match(name))
    # "STAR" names both the aligner and its index builder: the user means the analysis step
    steps = [m for m in matches if library.module(m).scope != "reference"]
    if len(matches) == 1 or len(steps) == 1:
        return (steps or matches)[0]
    if matches:
        raise CatalogueError(f"{name!r} matches several modules: {', '.join(matches)}; name one of them")
    names = {normalize(m.tool): m.id for m in library.modules.values()} | {m: m for m in library.modules}
    close = difflib.get_close_matches(normalize(name), list(names), n=3, cutoff=0.6)
    hint = f" Did you mean {', '.join(sorted({names[c] for c in close}))}?" if close else ""
    raise CatalogueError(f"no module for {name!r} in the library ({len(library.modules)} modules; "
                         f"`biopipelines library list` shows them).{hint}")


def detail(library: Library, name: str) -> ModuleDetail:
    module = library.module(find_module(library, name))
    front = library.card_front_matter(module.id)
    body = library.read_text(f"modules/{module.id}/card.md").split("---", 2)[2].strip()
    return ModuleDetail(
        **_summary(library, module.id, _used_in(library)), family=module.family, aliases=module.aliases,
        packages=[p.model_dump() for p in module.packages], debian_packages=[d.model_dump() for d in module.debian],
        inputs=[p.model_dump(exclude_defaults=True) for p in module.inputs],
        outputs=[p.model_dump(exclude_defaults=True) for p in module.outputs],
        params={k: p.model_dump() for k, p in module.params.items()}, threads=module.threads,
        resources=module.resources.model_dump(), doi=front.get("doi"), card=body)


def format_catalogue(data: Catalogue) -> str:
    served = [a for a in data.analysis_types if a.recipe]
    lines = [f"Analysis types: {len(served)} of {len(data.analysis_types)} have a recipe"]
    for a in data.analysis_types:
        status = f"recipe {a.recipe}" if a.recipe else "not yet" + (f" (closest: {a.closest})" if a.closest else "")
        lines.append(f"  {a.slug:<28} {status:<34} {a.title}")
    lines.append("")
    lines.append(f"Modules: {len(data.modules)}")
    for m in data.modules:
        lines.append(f"  {m.id:<30} {m.tool:<26} {m.package + '=' + m.version:<26} {', '.join(m.used_in)}")
    return "\n".join(lines)


def format_detail(data: ModuleDetail) -> str:
    lines = [f"{data.tool} ({data.id}): {data.description}", ""]
    lines += ["Packages (bioconda pins):"] + [f"  {p['name']}={p['version']}  [{p['channel']}] checked: "
                                             f"{p['pin_source']}" for p in data.packages]
    if data.debian_packages:
        lines += ["Debian:"] + [f"  {d['package']} {d['version']}" + (f"  ({d['note']})" if d.get("note") else "")
                                for d in data.debian_packages]
    lines += ["Inputs:"] + [f"  {p['name']}: {p['type']}" for p in data.inputs]
    lines += ["Outputs:"] + [f"  {p['name']}: {p['path']}" for p in data.outputs]
    if data.params:
        lines += ["Parameters (config.yaml):"] + [f"  {k} = {v['default']!r}: {v['description']}"
                                                  for k, v in data.params.items()]
    lines.append(f"Threads: {data.threads}; memory: {data.resources['mem_mb']} MB; "
                 f"time: {data.resources['runtime']} min")
    lines.append(f"Used in: {', '.join(data.used_in)}")
    if data.doi:
        lines.append(f"Citation: https://doi.org/{data.doi}")
    lines += ["", data.card]
    return "\n".join(lines)
