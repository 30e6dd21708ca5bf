"""Out of memory or out of time: double the failing rule's mem_mb or runtime in the profile's set-resources.

The value that failed is the one Snakemake scheduled the job with (the run record keeps each job's resources), so
a rule default, a default-resources entry or an earlier set-resources all start from what really ran.
"""

from __future__ import annotations

from biopipelines.core import yaml_io
from biopipelines.core.yaml_files import read_yaml
from biopipelines.library.healing.patch import HealContext, Patch

FACTOR = 2
FALLBACK = {"mem_mb": 1000, "runtime": 60}


def more_memory(context: HealContext) -> Patch | None:
    return _raise(context, "mem_mb", "the job ran out of memory")


def more_time(context: HealContext) -> Patch | None:
    return _raise(context, "runtime", "the job hit its time limit")


def _raise(context: HealContext, key: str, reason: str) -> Patch | None:
    job = context.failed_job()
    if job is None:
        return None
    profile = read_yaml(context.profile) if context.profile.is_file() else {}
    profile = profile if isinstance(profile, dict) else {}
    rules = profile.setdefault("set-resources", {}) or {}
    profile["set-resources"] = rules
    before = _number(job.resources.get(key)) or _number((rules.get(job.rule) or {}).get(key)) or FALLBACK[key]
    after = int(before * FACTOR)
    rules.setdefault(job.rule, {})[key] = after
    where = context.profile.relative_to(context.workflow_dir)
    evidence = context.record.failure.evidence if context.record.failure else ""
    text = context.profile.read_text(encoding="utf-8") if context.profile.is_file() else ""
    edited = set_resource(text, job.rule, key, after)
    if ((yaml_io.load(edited) or {}).get("set-resources") or {}).get(job.rule, {}).get(key) != after:
        edited = yaml_io.dump(profile)  # a layout the line edit does not know: rewrite (comments are lost)
    return Patch(changes=[f"{where}: set-resources.{job.rule}.{key}: {before} -> {after}"],
                 why=f"{reason} ({evidence}); {key} doubled for rule {job.rule}", writes={context.profile: edited})


def _number(value) -> int | None:
    try:
        return int(float(value))
    except (TypeError, ValueError):
        return None


def set_resource(text: str, rule: str, key: str, value: int) -> str:
    """`set-resources: {rule: {key: value}}` edited in the profile's own lines, so its comments stay."""
    lines = text.splitlines()
    top = next((i for i, line in enumerate(lines) if line.rstrip() == "set-resources:"), None)
    if top is None:
        return "\n".join([*lines, "set-resources:", f"  {rule}:", f"    {key}: {value}"]) + "\n"
    end = next((i for i in range(top + 1, len(lines)) if lines[i] and not lines[i].startswith((" ", "#"))),
               len(lines))
    head = next((i for i in range(top + 1, end) if lines[i].rstrip() == f"  {rule}:"), None)
    if head is None:
        lines[top + 1:top + 1] = [f"  {rule}:", f"    {key}: {value}"]
        return "\n".join(lines) + "\n"
    stop = next((i for i in range(head + 1, end) if not lines[i].startswith("    ")), end)
    found = next((i for i in range(head + 1, stop) if lines[i].strip().startswith(f"{key}:")), None)
    if found is None:
        lines.insert(head + 1, f"    {key}: {value}")
    else:
        lines[found] = f"    {key}: {value}"
    return "\n".join(lines) + "\n"
