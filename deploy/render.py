"""Write a plan's deployment directory: vllm/*.sh, slurm/*.sbatch, submit_all.sh, profile.yaml, plan.json."""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import ValidationError

from biopipelines.core.errors import InputError
from biopipelines.core.yaml_files import one_line

from biopipelines.deploy.plan import Plan
from biopipelines.deploy.render_profile import read_endpoint_map, render_profile
from biopipelines.deploy.render_slurm import SlurmOptions, job_name, render_job, render_submit_all
from biopipelines.deploy.render_vllm import argv_from_script, render_script, script_name
from biopipelines.deploy.vllm_flags import FlagError, validate


def load_plan(path: Path) -> Plan:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(f"cannot read plan {path}: {exc.strerror or exc}") from None
    except ValueError as exc:
        raise InputError(f"{path}: not JSON ({exc})") from None
    try:
        return Plan.model_validate(data)
    except ValidationError as exc:
        raise InputError(f"{one_line(str(path), exc)} (make it with `biopipelines plan-gpus --json`)") from None


def render_all(plan: Plan, out: Path, *, name: str, slurm: SlurmOptions,
               endpoints: Path | None = None) -> list[Path]:
    if plan.unplaced:
        roles = ", ".join(u.role for u in plan.unplaced)
        raise InputError(f"the plan leaves {roles} unplaced; fix the plan first ({plan.unplaced[0].suggestion})")
    hosts = read_endpoint_map(endpoints) if endpoints else None
    files: dict[str, str] = {}
    for gpu in plan.gpus:
        for proc in gpu.processes:
            text = render_script(proc, gpu)
            try:  # never write a launch script vLLM's own parser would reject
                validate(argv_from_script(text))
            except FlagError as exc:
                raise InputError(f"{script_name(proc)}: vLLM would reject the flags: {exc}") from None
            files[f"vllm/{script_name(proc)}"] = text
        if gpu.processes:
            files[f"slurm/{job_name(gpu)}.sbatch"] = render_job(gpu, slurm)
    files["submit_all.sh"] = render_submit_all(plan.gpus)
    files["profile.yaml"] = render_profile(plan, name, hosts)
    files["plan.json"] = plan.model_dump_json(indent=2) + "\n"
    written = []
    try:
        for rel, text in files.items():
            path = out / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            if rel.endswith((".sh", ".sbatch")):
                path.chmod(0o755)
            written.append(path)
    except OSError as exc:
        raise InputError(f"cannot write to {out}: {exc.strerror or exc}") from None
    return written
