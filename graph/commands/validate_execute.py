"""`validate --execute`: run the workflow's .test/ for real, in a sandbox copy (the user's folder is not touched),
with the tools on PATH, then check the synthetic dataset's planted truth. Placeholder inputs are filled first where
the analysis has a synthetic dataset (library/testdata). Nothing is executed, and the reason is returned, when the
analysis has no dataset or a tool its steps call is not on PATH (several are not packaged in Debian): the workflow
keeps its dry run and report.json says why."""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path

from pydantic import BaseModel

from biopipelines.core.schemas import CheckResult

EXECUTE, PLANTED_TRUTH = "execute", "planted_truth"
_DONE = re.compile(r"(\d+) of (\d+) steps \(100%\) done")


class Execution(BaseModel):
    """What `validate --execute` did: the checks it adds, or why it ran nothing."""

    ran: bool
    checks: list[CheckResult] = []
    not_run: str = ""
    dataset: str = ""


def execute_test(path: Path, analysis_type: str | None, timeout_s: float, cores: int) -> Execution:
    from biopipelines.library.testdata.datasets import RECIPE_DATA
    from biopipelines.library.testdata.fill import empty_placeholders, fill_test_data
    from biopipelines.validation.sandbox import Sandbox, SandboxLimits

    dataset = RECIPE_DATA.get(analysis_type or "")
    if not (path / ".test" / "config" / "config.yaml").is_file():
        return Execution(ran=False, not_run="the workflow has no .test/config/config.yaml")
    placeholders = bool(empty_placeholders(path / ".test"))
    if placeholders and dataset is None:
        return Execution(ran=False, not_run=f"no synthetic dataset for {analysis_type or 'this analysis'} "
                                            "(.test/ holds placeholders; the dry run stands)")
    missing = _missing_tools(path)
    if missing:
        return Execution(ran=False, not_run=f"tools the workflow's steps call are not on PATH: {', '.join(missing)} "
                                            "(the dry run stands)")
    limits = SandboxLimits(cpu_seconds=int(timeout_s * cores) + 5, memory_bytes=32 * 1024**3,
                           file_size_bytes=4 * 1024**3)
    with Sandbox(path, limits=limits) as box:
        test = box.work_dir / ".test"
        if placeholders:
            fill_test_data(box.work_dir, analysis_type)
        argv = [sys.executable, "-m", "snakemake", "-s", "workflow/Snakefile", "--directory", ".test",
                "--cores", str(cores), "--forceall", "--printshellcmds", "--nocolor"]
        # Java ignores TMPDIR, and the sandbox's /tmp may be read-only (FastQC, Picard write temporary files)
        env = {"PATH": os.environ.get("PATH", ""), "JAVA_TOOL_OPTIONS": f"-Djava.io.tmpdir={box.root / 'tmp'}"}
        run = box.run(argv, timeout_s=timeout_s, extra_env=env)
        execute = _judge(run.returncode, run.timed_out, run.output, run.duration_s, timeout_s)
        if not execute.ok:
            execute.details += _failed_log_tail(test, run.output)
        checks = [execute]
        if execute.ok and dataset is not None and placeholders:
            found, details = dataset.truth(test)
            checks.append(CheckResult(check=PLANTED_TRUTH, ok=found, details=details))
    return Execution(ran=True, checks=checks, dataset=dataset.description if dataset and placeholders else "")


def _missing_tools(path: Path) -> list[str]:
    """Binaries of the planned steps (report.json's plan) that PATH lacks; [] when the plan is not recorded."""
    from biopipelines.library import load_library
    from biopipelines.library.system_tools import missing_binaries

    try:
        steps = json.loads((path / "report.json").read_text())["plan"]["steps"]
        modules = [step["module"] for step in steps]
    except (OSError, ValueError, KeyError, TypeError):
        return []
    library = load_library()
    known = [m for m in modules if m in library.modules]
    return missing_binaries(library, known, os.environ.get("PATH", ""))


def _failed_log_tail(test: Path, output: str) -> str:
    """The last lines of the first failed job's log file (read before the sandbox goes)."""
    failed = re.search(r"^Error in rule \w+:", output, flags=re.MULTILINE)
    logged = re.search(r"^\s*log: (\S+)", output[failed.end():], flags=re.MULTILINE) if failed else None
    log = test / logged.group(1) if logged else None
    if log is None or not log.is_file():
        return ""
    lines = log.read_text(errors="replace").strip().splitlines()[-15:]
    return f"\n--- {logged.group(1)} (last lines) ---\n" + "\n".join(lines)


def _judge(returncode: int | None, timed_out: bool, output: str, seconds: float, timeout_s: float) -> CheckResult:
    if timed_out:
        return CheckResult(check=EXECUTE, ok=False, details=f"not finished within {timeout_s:g} s")
    if returncode == 0:
        done = _DONE.findall(output)
        jobs = f"{done[-1][0]} jobs" if done else "nothing to do"
        return CheckResult(check=EXECUTE, ok=True, details=f"{jobs} in {seconds:.0f} s")
    failed = re.findall(r"Error in rule (\w+):", output)
    tail = "\n".join(output.strip().splitlines()[-15:])
    rule = f"rule {failed[0]} failed" if failed else f"snakemake exited with {returncode}"
    return CheckResult(check=EXECUTE, ok=False, details=f"{rule}\n{tail}")
