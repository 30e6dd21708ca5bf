"""One healing step of `biopipelines run --heal`: propose a patch for the classified failure, apply it, re-validate
the workflow (static screen, lint, .test dry run) and note the change in the workflow's README. Nothing silent: the
step goes into the run record, and the README lists every change with its reason."""

from __future__ import annotations

from pathlib import Path

from biopipelines.core.run_record import HealStep, RunRecord, runs_root
from biopipelines.library.healing import HealContext, apply_patch, propose
from biopipelines.validation.execution.profile import LOCAL_PROFILE
from biopipelines.validation.execution.runner import RunRequest

README_HEADING = "## Changes made by `biopipelines run --heal`"


def heal_once(request: RunRequest, record: RunRecord, attempt: int) -> HealStep | None:
    if record.failure is None:
        return None
    profile = request.profile or request.workflow_dir / LOCAL_PROFILE
    context = HealContext(record=record, workflow_dir=request.workflow_dir, run_dir=request.run_dir, profile=profile)
    patch = propose(context)
    if patch is None:
        return None
    apply_patch(patch, runs_root(request.workflow_dir) / record.id / "set-aside")
    from biopipelines.validation import validate_dir

    checks = validate_dir(request.workflow_dir)
    step = HealStep(attempt=attempt, cause=record.failure.cause, rule=record.failure.rule, changes=patch.changes,
                    why=patch.why, revalidated=all(c.ok for c in checks))
    if not step.revalidated:
        failed = next(c for c in checks if not c.ok)
        step.why += f"; re-validation FAILED at {failed.check}, so the run was not resumed"
    note_in_readme(request.workflow_dir, record.id, step)
    return step


def note_in_readme(workflow_dir: Path, run_id: str, step: HealStep) -> None:
    readme = workflow_dir / "README.md"
    text = readme.read_text(encoding="utf-8") if readme.is_file() else ""
    if README_HEADING not in text:
        text = text.rstrip("\n") + f"\n\n{README_HEADING}\n\nEach change a failed run led to, and why "
        text += "(the run records under `.biopipelines/runs/` hold the same).\n"
    text += (f"\n- run {run_id} failed in rule `{step.rule}` ({step.cause}): " + "; ".join(step.changes)
             + f". Why: {step.why}. Re-validated: {'yes' if step.revalidated else 'no'}.\n")
    readme.write_text(text, encoding="utf-8")
