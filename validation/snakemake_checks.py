"""The validator's checks: static screen, `snakemake --lint`, `snakemake -n`; each a CheckResult, in that order.

Snakemake runs only in the sandbox, and only after the static screen passed. Nothing here raises for a broken
workflow, a missing Snakemake or a timeout: each becomes a failing CheckResult whose details say what to fix.
"""

from __future__ import annotations

import importlib.util
import os
import re
import signal
import sys
import time
from collections.abc import Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path, PurePosixPath

from biopipelines.core.schemas import CheckResult
from biopipelines.validation import screen_rules
from biopipelines.validation.sandbox import Sandbox, SandboxLimits, SandboxResult
from biopipelines.validation.snakefile_parser import SnakefileSyntaxError
from biopipelines.validation.snakemake_output import job_summary, parse_lints, relativize, summarize_error
from biopipelines.validation.static_screen import SNAKEFILE_NAMES, screen_workflow, syntax_errors

SCREEN, LINT, DRY_RUN = "static_screen", "snakemake_lint", "dry_run"
_AUDIT_GUARD = Path(__file__).resolve().parent / "audit_guard.py"
_SKIPPED_DIRS = frozenset({".snakemake", ".git", "__pycache__"})
# How Snakemake's output looks when the workflow does not parse (KeyError: <line> is its error formatter failing).
_SYNTAX_SIGNS = re.compile(r"SyntaxError|IndentationError|TokenError|KeyError: \d+\s*$")


def validate_files(files: dict[str, str], timeout_s: float = 120) -> list[CheckResult]:
    """Validate a workflow given as {relative path: text}, e.g. the coder's output. Each check's sandbox gets the
    files written straight into it."""
    findings = screen_workflow(files)
    if findings:
        return [_screen_failed(findings)]  # never write, let alone run, what the screen rejects
    return _run_checks(files, files, timeout_s)


def validate_dir(path: Path, timeout_s: float = 120) -> list[CheckResult]:
    """Validate a workflow directory (workflow/Snakefile, workflow/rules/*.smk, config/, .test/ ...)."""
    path = Path(path)
    if not path.is_dir():
        return [CheckResult(check=SCREEN, ok=False, details=f"{path} is not a directory")]
    sources = _DirectorySources(path)
    findings = screen_workflow(sources)
    if findings:
        return [_screen_failed(findings)]
    return _run_checks(path, sources, timeout_s)


def _screen_failed(findings: list[str]) -> CheckResult:
    details = "The workflow was not run. Remove or rewrite:\n" + "\n".join(f"- {f}" for f in findings)
    return CheckResult(check=SCREEN, ok=False, details=details)


def _run_checks(root: Path | Mapping[str, str], sources: Mapping[str, str], timeout_s: float) -> list[CheckResult]:
    """The Snakemake checks on `root`: a directory, or the files themselves (each sandbox writes them)."""
    results = [CheckResult(check=SCREEN, ok=True, details="no findings")]
    deadline = time.monotonic() + timeout_s
    snakefile = next((name for name in SNAKEFILE_NAMES if _has_file(root, name)), None)
    problem = None
    if snakefile is None:
        problem = f"no Snakefile found: expected {SNAKEFILE_NAMES[0]}"
    elif importlib.util.find_spec("snakemake") is None:
        problem = f"Snakemake is not installed for {sys.executable} (pip install snakemake)"
    if problem:
        return _not_runnable(problem)
    arguments = ["-s", snakefile]
    test_dir = _has_test_dir(root)
    if test_dir:  # the Snakefile usually reads config: use the synthetic test setup
        arguments += ["--directory", ".test"]
    located = syntax_errors(sources)
    steps = ((LINT, ["--lint"]), (DRY_RUN, ["-n", "--quiet", "rules"]))
    if located:
        # the workflow is known not to parse: lint reports where, and the dry run is not worth a Snakemake start-up
        lint = _run_one(root, LINT, [*arguments, "--lint"], deadline, timeout_s, located, test_dir)
        if not lint.ok and lint.details.startswith("SyntaxError"):
            return results + [lint, CheckResult(check=DRY_RUN, ok=False, details=(
                f"not run: the workflow does not parse (see {LINT})\n{lint.details}"))]
        return results + [lint, _run_one(root, DRY_RUN, [*arguments, *steps[1][1]], deadline, timeout_s, located,
                                         test_dir)]
    # Lint and dry run are independent Snakemake processes: run them side by side, each in its own sandbox copy
    # (separate .snakemake/, HOME and logs), so the check costs the slower of the two rather than their sum.
    with ThreadPoolExecutor(max_workers=2, thread_name_prefix="snakemake-check") as pool:
        futures = [pool.submit(_run_one, root, check, [*arguments, *extra], deadline, timeout_s, located, test_dir)
                   for check, extra in steps]
        lint, dry_run = (future.result() for future in futures)
    if not lint.ok and lint.details.startswith("SyntaxError") and not dry_run.ok:
        dry_run = CheckResult(check=DRY_RUN, ok=False, details=(
            f"failed: the workflow does not parse (see {LINT})\n{lint.details}"))
    return results + [lint, dry_run]


def _has_file(root: Path | Mapping[str, str], name: str) -> bool:
    return name in root if isinstance(root, Mapping) else (root / name).is_file()


def _has_test_dir(root: Path | Mapping[str, str]) -> bool:
    if isinstance(root, Mapping):
        return any(len(parts) > 1 and parts[0] == ".test" for parts in (PurePosixPath(name).parts for name in root))
    return (root / ".test").is_dir()


def _run_one(root: Path | Mapping[str, str], check: str, argv: list[str], deadline: float, timeout_s: float,
             located: list[SnakefileSyntaxError], test_dir: bool) -> CheckResult:
    """One Snakemake check in a fresh sandbox copy of `root`; a failing CheckResult for every problem."""
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        return CheckResult(check=check, ok=False,
                           details=f"not run: the {timeout_s:g} s validation budget was used up")
    try:
        box_cm = Sandbox(root, limits=_limits(timeout_s))
        box = box_cm.__enter__()
    except OSError as exc:
        if isinstance(root, Mapping):  # as when the files were written once before the checks
            return CheckResult(check=check, ok=False, details=f"could not write the workflow's files: {exc}")
        return CheckResult(check=check, ok=False, details=f"could not prepare the sandbox: {exc}")
    try:
        guard_log = box.root / f"guard-{check}.log"
        run = box.run([*_guarded_snakemake(box, guard_log), *argv], timeout_s=remaining)
        result = _guard_verdict(check, guard_log, box.work_dir) or _judge(check, run, box.work_dir, located)
        result.details += _isolation_note(box)
        if check == DRY_RUN and test_dir and not result.ok and not run.timed_out:
            result.details += "\n(the dry run works in .test/: paths above are relative to .test/)"
        return result
    finally:
        box_cm.__exit__(None, None, None)


def _guarded_snakemake(box: Sandbox, log: Path) -> list[str]:
    """`python -m snakemake` under the audit guard, which may write only inside the sandbox's own directories."""
    writable = [str(box.work_dir), str(box.root / "home"), str(box.root / "tmp")]
    return [sys.executable, "-I", str(_AUDIT_GUARD), str(log), *writable, "--", "-m", "snakemake"]


def _guard_verdict(check: str, log: Path, work_dir: Path) -> CheckResult | None:
    """A failing check when the guard blocked anything, even if the workflow caught the error and went on."""
    try:
        blocked = [line for line in log.read_text(encoding="utf-8", errors="replace").splitlines() if line]
    except OSError:
        return None
    if not blocked:
        return None
    lines = list(dict.fromkeys(relativize(line, work_dir) for line in blocked))[:10]
    return CheckResult(check=check, ok=False, details=(
        "the sandbox blocked what the workflow tried while Snakemake loaded it (a Snakefile must not touch the "
        "network, start processes or write outside its directory at parse time):\n"
        + "\n".join(f"- {line}" for line in lines)))


def _isolation_note(box: Sandbox) -> str:
    isolation = box.isolation
    if isolation.network and isolation.filesystem:
        return ""
    return (f"\n(sandbox: {isolation.reason or 'namespace isolation unavailable'}; the scrubbed environment, limits "
            "and the audit guard still applied)")


def _not_runnable(problem: str) -> list[CheckResult]:
    """The screen passed but Snakemake could not be started at all."""
    return [CheckResult(check=SCREEN, ok=True, details="no findings"),
            CheckResult(check=LINT, ok=False, details=problem),
            CheckResult(check=DRY_RUN, ok=False, details=problem)]


def _limits(timeout_s: float) -> SandboxLimits:
    # CPU time a little above the wall clock, so a busy loop is reported as a timeout, not as a signal
    return SandboxLimits(cpu_seconds=int(timeout_s) + 5)


def _judge(check: str, run: SandboxResult, work_dir: Path, located: list[SnakefileSyntaxError]) -> CheckResult:
    if run.error:
        return CheckResult(check=check, ok=False, details=run.error)
    if run.timed_out:
        return CheckResult(check=check, ok=False, details=(
            f"timed out after {run.duration_s:.0f} s and was killed. Snakemake runs the Snakefile's top-level code, "
            "input functions and params while loading the workflow: look there for an endless loop or a blocking "
            "call (network, stdin, sleep)."))
    output = relativize(run.output, work_dir)
    if "No module named snakemake" in output:
        return CheckResult(check=check, ok=False, details=f"Snakemake is not installed for {sys.executable}")
    if check == LINT:
        lints = parse_lints(output)
        if lints:
            return CheckResult(check=check, ok=False,
                               details=f"{len(lints)} lint(s):\n" + "\n".join(f"- {lint}" for lint in lints))
        if run.returncode == 0:
            return CheckResult(check=check, ok=True, details="no lints")
    elif run.returncode == 0:
        return CheckResult(check=check, ok=True, details=job_summary(output) or "dry run succeeded")
    return CheckResult(check=check, ok=False, details=_failure_details(run, output, located))


def _failure_details(run: SandboxResult, output: str, located: list[SnakefileSyntaxError]) -> str:
    # Snakemake's own report of a syntax error is often a `KeyError: <line>` from its error formatter, or a
    # TokenError placed at the include: line; report where the error really is.
    relevant = [error for error in located if error.file in output or _SYNTAX_SIGNS.search(output)]
    if relevant:
        return "\n".join(error.describe() for error in relevant)
    details = summarize_error(output)
    if run.returncode is not None and run.returncode < 0:
        details = f"killed by {_signal_name(-run.returncode)}\n{details}".strip()
    return details or f"snakemake exited with status {run.returncode} and printed nothing"


def _signal_name(number: int) -> str:
    try:
        name = signal.Signals(number).name
    except ValueError:
        return f"signal {number}"
    reasons = {"SIGXCPU": " (CPU-time limit)", "SIGXFSZ": " (file-size limit)", "SIGKILL": ""}
    return name + reasons.get(name, "")


class _DirectorySources(Mapping[str, str]):
    """A workflow directory seen as {relative path: text}, read on demand (the screen only opens what it needs)."""

    def __init__(self, root: Path) -> None:
        self._root = root.resolve()

    def _path(self, name: str) -> Path | None:
        # Symlinks are followed on purpose: what they point to is what Snakemake would load.
        if name.startswith(("/", "~")) or ".." in name.split("/"):
            return None
        path = self._root / name
        return path if path.is_file() else None

    def __getitem__(self, name: str) -> str:
        path = self._path(name)
        if path is None:
            raise KeyError(name)
        with open(path, "rb") as fh:  # one byte over the limit is enough for the screen to refuse the file
            return fh.read(screen_rules.MAX_SOURCE_BYTES + 1).decode("utf-8", errors="replace")

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and self._path(name) is not None

    def __iter__(self) -> Iterator[str]:
        for folder, dirs, files in os.walk(self._root):
            dirs[:] = [d for d in dirs if d not in _SKIPPED_DIRS]
            for file in files:
                yield Path(folder, file).relative_to(self._root).as_posix()

    def __len__(self) -> int:
        return sum(1 for _ in self)
