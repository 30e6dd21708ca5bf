"""The execution checks of every test file in tests/modules: {module id: (workflow name, check)}.

Each `test_modules_*.py` file owns a few workflows and a `CHECKS` table; the catalogue lint needs their union to
know which modules are run for real.
"""

from __future__ import annotations

import importlib
from pathlib import Path

HERE = Path(__file__).resolve().parent


def all_checks() -> dict[str, tuple]:
    checks: dict[str, tuple] = {}
    for path in sorted(HERE.glob("test_modules_*.py")):
        found = importlib.import_module(f"tests.modules.{path.stem}").CHECKS
        clash = set(found) & set(checks)
        if clash:
            raise ValueError(f"{path.name} checks modules another file already checks: {sorted(clash)}")
        checks.update(found)
    return checks
