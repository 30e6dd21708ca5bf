"""What changed between two plans of one thread, as short lines for the REPL ("aligner: STAR -> HISAT2")."""

from __future__ import annotations

from collections import Counter

from biopipelines.core.schemas import WorkflowPlan


def _fmt(value: object) -> str:
    if value is None:
        return "none"
    if isinstance(value, list):
        return " vs ".join(str(v) for v in value[1:]) if len(value) == 3 and value[0] == "condition" else str(value)
    return str(value)


def _conditions(plan: WorkflowPlan) -> str:
    counts = Counter(row.get("condition") for row in plan.samples if row.get("condition"))
    return ", ".join(f"{n} {c}" for c, n in counts.items()) or f"{len(plan.samples)} samples"


def plan_diff(before: WorkflowPlan, after: WorkflowPlan) -> list[str]:
    """One line per change; an empty list means the plans do the same thing."""
    if before.recipe != after.recipe:
        return [f"new workflow: {before.title} -> {after.title}"]
    lines: list[str] = []
    old = {s.step: s for s in before.steps}
    new = {s.step: s for s in after.steps}
    for step_id, step in new.items():
        if step_id not in old:
            lines.append(f"+ {step_id}: {step.tool}")
        elif old[step_id].module != step.module:
            lines.append(f"~ {step_id}: {old[step_id].tool} -> {step.tool}")
    lines += [f"- {step_id}: {step.tool}" for step_id, step in old.items() if step_id not in new]
    for label, a, b in (
        ("read layout", before.read_layout, after.read_layout),
        ("organism", before.organism, after.organism),
        ("genome build", before.genome_build, after.genome_build),
        ("strandedness", before.config.get("strandedness"), after.config.get("strandedness")),
        ("contrast", before.config.get("de", {}).get("contrast"), after.config.get("de", {}).get("contrast")),
        ("samples", _conditions(before), _conditions(after)),
    ):
        if label == "strandedness" and None in (a, b):
            continue  # the new tools do not use it (Salmon infers the library type): not a user-visible change
        if a != b:
            lines.append(f"~ {label}: {_fmt(a)} -> {_fmt(b)}")
    return lines
