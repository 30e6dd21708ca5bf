"""Run-time healing: from a classified failure (core.run_record.Failure) to a patch of the workflow's resources,
config or built files, described change by change. The CLI (graph/commands/run_heal.py) applies a patch,
re-validates the workflow and resumes Snakemake with --rerun-incomplete.

One proposer per cause: out of memory and time limit raise the rule's resources in the profile the run reads,
a missing index is set aside so the workflow's own index rule rebuilds it, wrong strandedness is inferred from the
aligned reads with featureCounts and written to config.yaml. Missing inputs and tool errors get no patch: what
fixes them is the user's to decide, and the record says so.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from biopipelines.library.healing.patch import HealContext, Patch

__all__ = ["HealContext", "Patch", "apply_patch", "propose"]


def propose(context: HealContext) -> Patch | None:
    from biopipelines.library.healing import index, resources, strandedness

    failure = context.record.failure
    if failure is None:
        return None
    proposers = {"out_of_memory": resources.more_memory, "time_limit": resources.more_time,
                 "missing_reference": index.rebuild_index, "strandedness_or_layout": strandedness.fix_strandedness}
    proposer = proposers.get(failure.cause)
    return proposer(context) if proposer else None


def apply_patch(patch: Patch, set_aside_dir: Path) -> None:
    """Write the files and move set-aside paths under `set_aside_dir` (kept, never deleted)."""
    for path, text in patch.writes.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    for path in patch.set_aside:
        set_aside_dir.mkdir(parents=True, exist_ok=True)
        shutil.move(str(path), str(set_aside_dir / path.name))
