"""Snakemake's output, line by line, into the run record: jobs started, finished and failed, the totals, the
failing job's log files and where Snakemake kept its own log.

Snakemake 9 prints a block per job start (`rule NAME:` / `localrule NAME:` and indented `key: value` lines), a
`Finished jobid: N (Rule: NAME)` line per finished job, `N of M steps (P%) done`, and an `Error in rule NAME:` block
per failed job. The SLURM executor adds `Job N has been submitted with SLURM jobid X`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from biopipelines.core.run_record import JobState, RunRecord, now

_START = re.compile(r"^(?:local)?rule (\S+):\s*$")
_ERROR = re.compile(r"^Error in rule (\S+):\s*$")
_KEY = re.compile(r"^\s+(\w+): ?(.*)$")
_FINISHED = re.compile(r"^Finished (?:jobid: |job )(\d+)")
_STEPS = re.compile(r"^(\d+) of (\d+) steps \(")
_TOTAL = re.compile(r"^total\s+(\d+)\s*$")
_SUBMITTED = re.compile(r"^Job (\d+) has been submitted with SLURM jobid (\S+)")
_OWN_LOG = re.compile(r"^Complete log(?:\(s\))?: (\S+)")
_LOG_NOTE = " (check log file(s) for error details)"


@dataclass
class ProgressReader:
    """Feeds lines into `record`; `block` is the job-start or error block being read."""

    record: RunRecord
    block: dict[str, str] = field(default_factory=dict)

    def feed(self, line: str) -> None:
        line = line.rstrip("\n")
        if self.block and _KEY.match(line):
            key, value = _KEY.match(line).groups()
            self.block.setdefault(key, value)
            return
        if self.block.get("_kind") == "error" and "jobid" not in self.block and line.strip():
            return  # an executor's message runs over several unindented lines before the job's keys
        if self.block:
            self._close_block()
        for pattern, handler in ((_START, self._open_start), (_ERROR, self._open_error),
                                 (_FINISHED, self._finished), (_STEPS, self._steps), (_TOTAL, self._total),
                                 (_SUBMITTED, self._submitted), (_OWN_LOG, self._own_log)):
            match = pattern.match(line)
            if match:
                handler(*match.groups())
                return

    def close(self) -> None:
        if self.block:
            self._close_block()

    def running_rules(self) -> list[str]:
        return sorted({j.rule for j in self.record.jobs if j.status == "running"})

    def _open_start(self, rule: str) -> None:
        self.block = {"_kind": "start", "_rule": rule}

    def _open_error(self, rule: str) -> None:
        self.block = {"_kind": "error", "_rule": rule}

    def _close_block(self) -> None:
        block, self.block = self.block, {}
        if "jobid" not in block or not block["jobid"].strip().isdigit():
            return
        job = self._job(int(block["jobid"]), block["_rule"])
        job.wildcards = job.wildcards or block.get("wildcards", "")
        if block.get("resources") and not job.resources:
            pairs = (item.strip().partition("=") for item in block["resources"].split(","))
            job.resources = {key: value for key, _, value in pairs if key and value}
        if block.get("input") and not job.inputs:
            job.inputs = [p.strip() for p in block["input"].split(",") if p.strip()]
        if block.get("log"):
            logs = [p.strip() for p in block["log"].replace(_LOG_NOTE, "").split(",") if p.strip()]
            job.logs += [p for p in logs if p not in job.logs]
        if block.get("external_jobid"):
            job.external_id = block["external_jobid"].strip()
        if block["_kind"] == "error":
            job.status, job.finished = "failed", now()

    def _job(self, jobid: int, rule: str) -> JobState:
        for job in self.record.jobs:
            if job.jobid == jobid:
                return job
        job = JobState(jobid=jobid, rule=rule, started=now())
        self.record.jobs.append(job)
        return job

    def _finished(self, jobid: str) -> None:
        for job in self.record.jobs:
            if job.jobid == int(jobid):
                job.status, job.finished = "done", now()

    def _steps(self, done: str, total: str) -> None:
        self.record.jobs_done, self.record.jobs_total = int(done), int(total)

    def _total(self, total: str) -> None:
        if self.record.jobs_total is None:
            self.record.jobs_total = int(total)

    def _submitted(self, jobid: str, external: str) -> None:
        for job in self.record.jobs:
            if job.jobid == int(jobid):
                job.external_id = external

    def _own_log(self, path: str) -> None:
        self.record.snakemake_own_log = path
