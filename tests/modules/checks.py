"""The catalogue's module checks: every library/modules/<id>/test/check.py, as snakemake-wrappers keeps a wrapper's
test beside it. Each names the shared workflow run that exercises its module (`WORKFLOW`) and checks the module's
output there against the planted truth (`check(run)`).

They are loaded by file path, not imported as a package: test/ folders are not shipped in the wheel, and a module
id is not a Python package name.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from tests.modules.harness import Run

MODULES = Path(__file__).resolve().parents[2] / "library" / "modules"


@dataclass(frozen=True)
class ModuleCheck:
    module: str
    workflow: str
    check: Callable[[Run], None]
    doc: str


def check_paths() -> dict[str, Path]:
    """Module id -> its test/check.py, for every module that has one."""
    return {path.parents[1].name: path for path in sorted(MODULES.glob("*/test/check.py"))}


@cache
def module_check(module: str) -> ModuleCheck:
    path = check_paths()[module]
    spec = importlib.util.spec_from_file_location(f"module_checks.{module}", path)
    loaded = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(loaded)
    return ModuleCheck(module, loaded.WORKFLOW, loaded.check, loaded.__doc__ or "")
