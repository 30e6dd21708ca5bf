"""Tools offered as a choice ("Bismark or bwa-meth + MethylDackel"): the first alternative the recipe can run wins.

Entities.tool_choices holds each choice as its alternatives in the user's order, a combination joined by "+".
For each choice, in order, every alternative is tried on top of what was already decided:
- the first one with which the recipe plans is used;
- a later one is used too when it fills other steps than those already chosen and still plans ("fastp, STAR or
  HISAT2" keeps fastp for trimming and STAR for alignment);
- the rest are named in the plan's notes as the other options.
Only when no alternative plans is the first one requested as a plain tool, so that a tool the library lacks makes
the request partial or unsupported exactly as a plainly named one would.
"""

from __future__ import annotations

from collections.abc import Callable

from biopipelines.core.schemas import Entities, WorkflowPlan
from biopipelines.library.errors import UnsupportedAnalysis
from biopipelines.library.view import CatalogueView


def resolve_choices(library: CatalogueView, entities: Entities,
                    plan: Callable[[Entities], WorkflowPlan]) -> tuple[Entities, list[str]]:
    """Entities with each choice's alternatives decided (moved into tools_requested) and the notes that say so."""
    requested = list(entities.tools_requested)
    notes: list[str] = []
    for choice in entities.tool_choices:
        used: list[str] = []
        filled: set[str] = set()
        for option in choice:
            tools = option.split("+")
            steps = _steps_filled(library, entities, requested + tools, tools, plan)
            if steps is not None and (not used or steps and not steps & filled):
                requested += tools
                used.append(option)
                filled |= steps
        if not used:  # nothing offered can run: the first alternative meets the usual fidelity rules
            requested += choice[0].split("+")
            continue
        others = [option for option in choice if option not in used]
        if others:
            several = len(others) > 1
            notes.append(f"You offered a choice ({_spoken(library, choice)}): this workflow uses "
                         f"{_spoken(library, used, 'and')}. The other option{'s' if several else ''}: "
                         f"{_spoken(library, others, 'and', missing=True)} "
                         f"(ask for {'one' if several else 'it'} to switch).")
    decided = entities.model_copy(update={"tools_requested": list(dict.fromkeys(requested)), "tool_choices": []})
    return decided, notes


def _steps_filled(library: CatalogueView, entities: Entities, requested: list[str], tools: list[str],
                  plan: Callable[[Entities], WorkflowPlan]) -> set[str] | None:
    """The steps `tools` occupy in the plan with `requested`, or None when the recipe cannot plan with them."""
    try:
        planned = plan(entities.model_copy(update={"tools_requested": requested, "tool_choices": []}))
    except UnsupportedAnalysis:
        return None
    ids = set().union(*(library.tool_index.match(name) for name in tools))
    return {step.step for step in planned.steps if step.module in ids}


def _spoken(library: CatalogueView, options: list[str], joiner: str = "or", missing: bool = False) -> str:
    names = [" + ".join(_tool_name(library, tool, missing) for tool in option.split("+")) for option in options]
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} {joiner} {names[-1]}"


def _tool_name(library: CatalogueView, name: str, missing: bool) -> str:
    ids = sorted(library.tool_index.match(name))
    if not ids:
        return f"{name} (not in the module library)" if missing else name
    return library.module(ids[0]).tool
