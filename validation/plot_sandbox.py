"""Run generated plotting code the way workflows are validated: the static screen first (python_screen), then the
sandbox (scrubbed environment, limits, namespaces where available) with plot_runner.py's audit hook. Figures the
script saved under figures/ are copied out; anything the screen or the hook refused is reported as blocked."""

from __future__ import annotations

import ast
import shutil
import sys
import tempfile
from collections.abc import Mapping
from pathlib import Path

from pydantic import BaseModel, Field

from biopipelines.validation.python_screen import collect_aliases, scan_python
from biopipelines.validation.sandbox import Sandbox, SandboxLimits

_RUNNER = Path(__file__).resolve().parent / "plot_runner.py"
FIGURE_SUFFIXES = (".png", ".svg")


class ScriptRun(BaseModel):
    ok: bool
    blocked: list[str] = Field(default_factory=list, description="What the screen or the audit hook refused")
    error: str = ""
    figures: list[Path] = Field(default_factory=list)


def screen_script(code: str) -> list[str]:
    """The static screen's findings for a standalone Python script ('line N: message')."""
    try:
        tree = ast.parse(code)
    except SyntaxError as exc:
        return [f"line {exc.lineno}: not valid Python ({exc.msg})"]
    return [f"line {f.line}: {f.message}" for f in scan_python(tree, lambda n: n, collect_aliases(tree))]


def run_plot_script(code: str, data: Mapping[str, Path], out: Path, timeout_s: float = 90,
                    limits: SandboxLimits | None = None) -> ScriptRun:
    """Screen `code`, then run it sandboxed with `data` ({name: file}) under data/; copy figures/* to `out`."""
    findings = screen_script(code)
    if findings:
        return ScriptRun(ok=False, blocked=findings, error="refused by the static screen")
    with tempfile.TemporaryDirectory(prefix="biopipelines-plot-") as staging:
        stage = Path(staging)
        (stage / "data").mkdir()
        (stage / "figures").mkdir()
        for name, path in data.items():
            shutil.copyfile(path, stage / "data" / name)
        (stage / "plot.py").write_text(code, encoding="utf-8")
        with Sandbox(stage, limits or SandboxLimits(cpu_seconds=int(timeout_s), memory_bytes=3 * 1024**3)) as box:
            log = box.root / "guard.log"
            run = box.run([sys.executable, "-I", str(_RUNNER), str(log), str(box.work_dir), str(box.root / "tmp"),
                           str(box.root / "home"), "--", "plot.py"], timeout_s, {"MPLBACKEND": "Agg"})
            blocked = log.read_text(encoding="utf-8", errors="replace").splitlines() if log.exists() else []
            if blocked or run.returncode != 0:
                reason = "timed out" if run.timed_out else (run.error or _last_line(run.stderr))
                return ScriptRun(ok=False, blocked=blocked, error=reason or f"exit {run.returncode}")
            return ScriptRun(ok=True, figures=_copy_figures(box.work_dir / "figures", out))


def _copy_figures(source: Path, out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    copied = []
    for path in sorted(source.glob("*")):
        if path.suffix in FIGURE_SUFFIXES and path.is_file() and not path.is_symlink():
            copied.append(Path(shutil.copyfile(path, out / path.name)))
    return copied


def _last_line(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[-1][:300] if lines else ""
