"""What a healing proposer reads (the failed run, where it ran, the profile it read) and what it returns."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from biopipelines.core.run_record import JobState, RunRecord


@dataclass
class HealContext:
    record: RunRecord
    workflow_dir: Path
    run_dir: Path  # where Snakemake ran: the workflow or its .test/
    profile: Path  # the profile config.yaml the run reads (resources are raised there)

    @property
    def config(self) -> Path:
        return self.run_dir / "config" / "config.yaml"

    def failed_job(self) -> JobState | None:
        failure = self.record.failure
        jobs = [j for j in self.record.jobs if failure and j.jobid == failure.jobid]
        return jobs[0] if jobs else None


@dataclass
class Patch:
    changes: list[str]  # each 'file: key: old -> new' (or what was moved where)
    why: str
    writes: dict[Path, str] = field(default_factory=dict)
    set_aside: list[Path] = field(default_factory=list)
