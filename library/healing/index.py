"""A missing or incomplete index: set the failing job's index input aside so the workflow's own index rule builds
it again on resume. Only built files are touched, never a reference the user provides in config.yaml."""

from __future__ import annotations

import re

from biopipelines.core.yaml_files import read_yaml
from biopipelines.library.healing.patch import HealContext, Patch

_INDEX_NAME = re.compile(r"index|\.(fai|bwt|bt2|amb|ann|pac|sa|dict|idx|mmi|bai|tbi|csi)$", re.IGNORECASE)


def rebuild_index(context: HealContext) -> Patch | None:
    job = context.failed_job()
    failure = context.record.failure
    if job is None or failure is None:
        return None
    provided = _provided_references(context)
    candidates = [p for p in job.inputs if p not in provided and (context.run_dir / p).exists()]
    named = [p for p in candidates if p.rstrip("/") in failure.evidence]
    chosen = named or [p for p in candidates if _INDEX_NAME.search(p.rstrip("/"))]
    if not chosen:
        return None
    folder = f".biopipelines/runs/{context.record.id}/set-aside"
    return Patch(changes=[f"{p}: set aside to {folder}/ (rebuilt by its rule on resume)" for p in chosen],
                 why=f"rule {job.rule} could not use its index ({failure.evidence}); the workflow builds it, so "
                     "the incomplete copy is moved away and built again",
                 set_aside=[context.run_dir / p for p in chosen])


def _provided_references(context: HealContext) -> set[str]:
    config = read_yaml(context.config) if context.config.is_file() else {}
    references = (config or {}).get("reference", {}) if isinstance(config, dict) else {}
    return {str(v) for v in references.values()} if isinstance(references, dict) else set()
