"""One Snakemake run of a workflow directory, as a subprocess, with its output read into a run record as it comes.

The record (DIR/.biopipelines/runs/<id>/run.json) is saved at each job event and at the end, next to a copy of
Snakemake's output (snakemake.log); Snakemake's own .snakemake/log/ file is named in the record and kept.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from biopipelines.core.run_record import Failure, RunRecord, now, runs_root, save_record
from biopipelines.validation.execution.profile import effective_profile, executor_of
from biopipelines.validation.execution.progress import ProgressReader

TAIL_LINES = 30
_SAVE_EVERY_S = 0.5


@dataclass
class RunRequest:
    workflow_dir: Path
    cores: int = 1
    test: bool = False
    profile: Path | None = None  # a profile's config.yaml, copied into the run folder
    use_conda: bool = False
    rerun_incomplete: bool = False
    extra_args: list[str] = field(default_factory=list)
    env: dict[str, str] | None = None

    @property
    def run_dir(self) -> Path:
        return self.workflow_dir / ".test" if self.test else self.workflow_dir


Listener = Callable[[RunRecord, list[str]], None]


def new_run_id() -> str:
    return f"{now():%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:6]}"


def snakemake_command(request: RunRequest, folder: Path) -> tuple[list[str], str]:
    """The Snakemake command line and the run's mode (local, slurm, or another profile's executor)."""
    cmd = [sys.executable, "-m", "snakemake", "-s", "workflow/Snakefile", "--cores", str(request.cores),
           "--printshellcmds", "--keep-going"]
    if request.test:
        cmd += ["--directory", ".test"]
    mode = "local"
    if request.profile is not None:
        profile_dir, data = effective_profile(request.profile, folder / "profile", request.use_conda)
        cmd += ["--workflow-profile", str(profile_dir)]
        executor = executor_of(data)
        mode = "slurm" if executor == "slurm" else ("local" if executor in ("local", "dryrun") else "profile")
    elif request.use_conda:
        cmd += ["--software-deployment-method", "conda"]
    if request.rerun_incomplete:
        cmd += ["--rerun-incomplete"]
    return cmd + request.extra_args, mode


def execute(request: RunRequest, listener: Listener | None = None, run_id: str | None = None) -> RunRecord:
    """Run Snakemake to the end (or Ctrl-C) and return the saved record; failure classification is the caller's."""
    run_id = run_id or new_run_id()
    folder = runs_root(request.workflow_dir) / run_id
    folder.mkdir(parents=True, exist_ok=True)
    command, mode = snakemake_command(request, folder)
    record = RunRecord(id=run_id, workflow_dir=str(request.workflow_dir.resolve()),
                       run_dir=str(request.run_dir.resolve()), mode=mode, test=request.test, command=command,
                       snakemake_log=str(folder / "snakemake.log"))
    save_record(record, request.workflow_dir)
    reader = ProgressReader(record)
    env = {**os.environ, **(request.env or {})}
    with open(folder / "snakemake.log", "w", encoding="utf-8") as copy:
        proc = subprocess.Popen(command, cwd=request.workflow_dir, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                text=True, errors="replace", env=env, start_new_session=True)
        try:
            _follow(proc, reader, copy, request.workflow_dir, listener)
            record.exit_code = proc.wait()
            record.status = "succeeded" if record.exit_code == 0 else "failed"
        except KeyboardInterrupt:
            _interrupt(proc)
            record.exit_code, record.status = proc.returncode, "interrupted"
    reader.close()
    record.end = now()
    if record.status == "failed":
        record.failure = first_failure(record)
    save_record(record, request.workflow_dir)
    if listener:
        listener(record, [])
    return record


def _follow(proc: subprocess.Popen, reader: ProgressReader, copy, workflow_dir: Path,
            listener: Listener | None) -> None:
    last_save = 0.0
    for line in proc.stdout:  # type: ignore[union-attr]
        copy.write(line)
        before = (reader.record.jobs_done, len(reader.record.jobs))
        reader.feed(line)
        changed = before != (reader.record.jobs_done, len(reader.record.jobs))
        if changed and time.monotonic() - last_save > _SAVE_EVERY_S:
            copy.flush()
            save_record(reader.record, workflow_dir)
            last_save = time.monotonic()
        if listener and changed:
            listener(reader.record, reader.running_rules())


def _interrupt(proc: subprocess.Popen) -> None:
    """Snakemake cleans up on SIGINT (incomplete outputs, cluster jobs); kill the group if it does not stop."""
    try:
        os.killpg(proc.pid, signal.SIGINT)
        proc.wait(timeout=30)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait()


def first_failure(record: RunRecord) -> Failure:
    """The first failed job with its log's tail; a run that failed before any job (a missing input, a broken
    Snakefile) is a failure of the workflow, with Snakemake's own output as the tail."""
    failed = next((j for j in record.jobs if j.status == "failed"), None)
    run_dir = Path(record.run_dir)
    if failed is None:
        return Failure(rule="(workflow)", logs=[record.snakemake_log], log_tail=tail(Path(record.snakemake_log)))
    lines: list[str] = []
    for log in failed.logs:
        lines += tail(run_dir / log)
    if not lines:  # no log: directive, or the tool wrote nothing: Snakemake's report of the error is the evidence
        lines = tail(Path(record.snakemake_log))
    return Failure(rule=failed.rule, jobid=failed.jobid, logs=failed.logs, log_tail=lines[-TAIL_LINES:])


def tail(path: Path, lines: int = TAIL_LINES) -> list[str]:
    try:
        with path.open("rb") as handle:
            handle.seek(0, os.SEEK_END)
            handle.seek(max(0, handle.tell() - 64_000))
            text = handle.read().decode("utf-8", errors="replace")
    except OSError:
        return []
    return [line.rstrip() for line in text.splitlines()[-lines:]]
