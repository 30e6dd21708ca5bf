"""Recipe steps that do not fit the request's genome, and why: a step for some organisms only (a sex check needs X
and Y chromosomes) is off for a stated other organism; a step needing a per-build resource (a SnpEff database) is
off by default where the build has none (asking for it turns it on again). The planner applies the reasons."""

from __future__ import annotations

from biopipelines.library.models import Organism, RecipeStep
from biopipelines.library.references import ReferenceChoice


def out_of_scope(steps: list[RecipeStep], on_by_default: set[str], organism_name: str | None,
                 organism: Organism | None, reference: ReferenceChoice) -> dict[str, str]:
    """Step id -> the "skipped: ..." reason, for the planned steps that do not fit."""
    reasons = {}
    for step in steps:
        if step.organisms and organism_name and (organism is None or organism.id not in step.organisms):
            stated = organism.name if organism else organism_name
            reasons[step.id] = f"skipped: it applies to {', '.join(step.organisms)} only, not {stated}"
        missing = [n for n in step.needs if not getattr(reference, n)]
        if missing and step.id in on_by_default and step.id not in reasons:
            what = " or ".join(ReferenceChoice.model_fields[n].description for n in missing)
            reasons[step.id] = (f"skipped: no {what} is known for {reference.genome_build or 'this genome'}; ask for "
                                "it to set your own")
    return reasons
