"""The Snakemake profile a run uses: none (local), the workflow's generated profiles/slurm, or a path.

The run gets its own copy in the run folder, so what ran is on record, and two changes are made to it where the
user did not ask otherwise: conda is dropped (generated profiles declare it; without `--use-conda` the tools come
from PATH) and relative paths stay valid from the workflow directory.
"""

from __future__ import annotations

from pathlib import Path

from biopipelines.core import yaml_io
from biopipelines.core.errors import UserError
from biopipelines.core.yaml_files import read_yaml

_CONDA_KEYS = ("software-deployment-method", "sdm", "use-conda", "conda-prefix")


class ProfileError(UserError):
    """The profile is missing or not a Snakemake profile."""


LOCAL_PROFILE = Path("profiles") / "default" / "config.yaml"


def local_profile(workflow_dir: Path) -> Path | None:
    """profiles/default/config.yaml, which Snakemake reads by itself and the healer writes resources into."""
    path = workflow_dir / LOCAL_PROFILE
    return path if path.is_file() else None


def profile_source(workflow_dir: Path, name: str) -> Path:
    """`slurm` -> profiles/slurm of the workflow; a path -> that folder (or the config.yaml inside it)."""
    candidate = workflow_dir / "profiles" / name if name in ("slurm",) else Path(name).expanduser()
    if candidate.is_dir():
        candidate = candidate / "config.yaml"
    if not candidate.is_file():
        raise ProfileError(f"profile {name}: no Snakemake profile at {candidate}")
    return candidate


def effective_profile(source: Path, target_dir: Path, use_conda: bool) -> tuple[Path, dict]:
    """Copy the profile into `target_dir` (a folder Snakemake reads as a profile) with the run's changes."""
    data = read_yaml(source, ProfileError)
    if not isinstance(data, dict):
        raise ProfileError(f"{source}: a Snakemake profile is a YAML mapping of option: value")
    if not use_conda:
        for key in _CONDA_KEYS:
            data.pop(key, None)
    else:
        data["software-deployment-method"] = "conda"
    target_dir.mkdir(parents=True, exist_ok=True)
    (target_dir / "config.yaml").write_text(yaml_io.dump(data), encoding="utf-8")
    return target_dir, data


def executor_of(profile: dict) -> str:
    return str(profile.get("executor", "local"))
