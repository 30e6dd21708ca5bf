"""Run the installed `biopipelines` console script as a user would."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def biopipelines_exe() -> str:
    found = shutil.which("biopipelines", path=str(Path(sys.executable).parent)) or shutil.which("biopipelines")
    if not found:
        raise RuntimeError("the biopipelines console script is not installed (pip install -e .)")
    return found


def run_cli(*args: str, stdin: bytes | None = None, env: dict | None = None, timeout: float = 300,
            cwd: Path | None = None) -> subprocess.CompletedProcess:
    full_env = {**os.environ, **(env or {})}
    return subprocess.run([biopipelines_exe(), *args], input=stdin, capture_output=True, timeout=timeout,
                          env=full_env, cwd=cwd or REPO)
