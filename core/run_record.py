"""The record of one `biopipelines run` of a workflow: DIR/.biopipelines/runs/<id>/run.json.

Written by the runner as the run goes (so `status` can read a run still in progress), read by `biopipelines
status` and by the job_management answer of the graph. Only paths and plain data: no clients, no Snakemake types.
"""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field

RUNS_DIR = Path(".biopipelines") / "runs"
RECORD_NAME = "run.json"

RunStatus = Literal["running", "succeeded", "failed", "interrupted"]
JobStatus = Literal["running", "done", "failed"]
# The classes of run-time failure the healer knows (rag/knowledge/failure_signatures.yaml maps logs to them).
FailureCause = Literal["out_of_memory", "time_limit", "missing_reference", "strandedness_or_layout",
                       "missing_input", "tool_error", "unknown"]


def now() -> datetime:
    return datetime.now(timezone.utc)


class JobState(BaseModel):
    """One Snakemake job (one rule applied to one set of wildcards)."""

    jobid: int
    rule: str
    wildcards: str = ""
    status: JobStatus = "running"
    logs: list[str] = Field(default_factory=list, description="the rule's log: files, relative to the run dir")
    inputs: list[str] = Field(default_factory=list, description="the job's input files, relative to the run dir")
    resources: dict[str, str] = Field(default_factory=dict, description="as Snakemake scheduled it (mem_mb ...)")
    external_id: str | None = Field(None, description="the SLURM job id, when an executor submitted it")
    started: datetime | None = None
    finished: datetime | None = None


class Failure(BaseModel):
    """The failing job, the tail of its log and what the classifier made of it."""

    rule: str
    jobid: int | None = None
    logs: list[str] = Field(default_factory=list)
    log_tail: list[str] = Field(default_factory=list)
    cause: FailureCause = "unknown"
    evidence: str = Field("", description="the log line that decided the cause")
    card: str | None = Field(None, description="the failure card (rag/knowledge) that explains the cause")
    advice: str = ""


class HealStep(BaseModel):
    """One change the healer made between two attempts, and why."""

    attempt: int
    cause: FailureCause
    rule: str
    changes: list[str] = Field(description="each change as 'file: key: old -> new'")
    why: str
    revalidated: bool = False


class RuleSummary(BaseModel):
    rule: str
    done: int = 0
    running: int = 0
    failed: int = 0
    logs: list[str] = Field(default_factory=list)


class RunRecord(BaseModel):
    id: str
    workflow_dir: str
    run_dir: str = Field(description="the directory Snakemake ran in: the workflow, or its .test/")
    mode: Literal["local", "slurm", "profile"] = "local"
    test: bool = False
    command: list[str]
    start: datetime = Field(default_factory=now)
    end: datetime | None = None
    status: RunStatus = "running"
    exit_code: int | None = None
    jobs_total: int | None = None
    jobs_done: int = 0
    jobs: list[JobState] = Field(default_factory=list)
    snakemake_log: str = Field("", description="Snakemake's output of this run, kept beside run.json")
    snakemake_own_log: str | None = Field(None, description="Snakemake's own .snakemake/log/ file")
    failure: Failure | None = None
    heals: list[HealStep] = Field(default_factory=list, description="changes made before this attempt, oldest first")
    attempts: int = 1
    resumed_from: str | None = Field(None, description="the failed run this one resumed after healing")

    def rules(self) -> list[RuleSummary]:
        """Per-rule state, in the order the rules first ran."""
        summary: dict[str, RuleSummary] = {}
        for job in self.jobs:
            entry = summary.setdefault(job.rule, RuleSummary(rule=job.rule))
            setattr(entry, job.status, getattr(entry, job.status) + 1)
            entry.logs += [p for p in job.logs if p not in entry.logs]
        return list(summary.values())


def runs_root(workflow_dir: Path) -> Path:
    return Path(workflow_dir) / RUNS_DIR


def save_record(record: RunRecord, workflow_dir: Path) -> Path:
    """Write run.json atomically (a reader never sees half a file)."""
    folder = runs_root(workflow_dir) / record.id
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / RECORD_NAME
    scratch = target.with_suffix(".json.tmp")
    scratch.write_text(record.model_dump_json(indent=2), encoding="utf-8")
    scratch.replace(target)
    return target


def load_records(workflow_dir: Path) -> list[RunRecord]:
    """Every readable run record of the workflow, oldest first (a damaged file is skipped, not fatal)."""
    records = []
    for path in sorted(runs_root(workflow_dir).glob(f"*/{RECORD_NAME}")):
        try:
            records.append(RunRecord.model_validate_json(path.read_text(encoding="utf-8")))
        except (OSError, ValueError):
            continue
    return sorted(records, key=lambda r: (r.start, r.id))
