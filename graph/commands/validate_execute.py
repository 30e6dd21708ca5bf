"""`validate --execute`: run the workflow's .test/ for real, in a sandbox copy (the user's folder is not touched),
with the tools on PATH, then check the synthetic dataset's planted truth. Placeholder inputs are filled first where
the analysis has a synthetic dataset (library/testdata); otherwise nothing is executed and the reason is returned,
so the workflow keeps its dry run and report.json says why."""

from __future__ import annotations

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
    from biopipelines.library.testdata.fill import RECIPE_DATA, empty_placeholders, fill_test_data
    from biopipelines.validation.sandbox import Sandbox, SandboxLimits

    dataset = RECIPE_DATA.get(analysis_type or "")
    limits = SandboxLimits(cpu_seconds=int(timeout_s * cores) + 5, memory_bytes=32 * 1024**3,
                           file_size_bytes=4 * 1024**3)
    with Sandbox(path, limits=limits) as box:
        test = box.work_dir / ".test"
        if not (test / "config" / "config.yaml").is_file():
            return Execution(ran=False, not_run="the workflow has no .test/config/config.yaml")
        if empty_placeholders(test):
            if dataset is None:
                return Execution(ran=False, not_run=f"no synthetic dataset for {analysis_type or 'this analysis'} "
                                                    "(.test/ holds placeholders; the dry run stands)")
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
        if execute.ok and dataset is not None:
            found, details = dataset.truth(test)
            checks.append(CheckResult(check=PLANTED_TRUTH, ok=found, details=details))
    return Execution(ran=True, checks=checks, dataset=dataset.description if dataset else "")


def _failed_log_tail(test: Path, output: str) -> str:
    """The last lines of the first failed job's log file (read before the sandbox goes)."""
    for name in re.findall(r"^\s*log: (\S+)", output, flags=re.MULTILINE):
        log = test / name
        if log.is_file():
            lines = log.read_text(errors="replace").strip().splitlines()[-15:]
            return f"\n--- {name} (last lines) ---\n" + "\n".join(lines)
    return ""


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
