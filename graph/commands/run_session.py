"""A `biopipelines run`: one Snakemake run, its failure classified, and with --heal the patch-revalidate-resume
loop, each attempt its own run record that carries the changes made so far."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from biopipelines.core.run_record import HealStep, RunRecord, save_record
from biopipelines.rag.failure_signatures import classify
from biopipelines.validation.execution.profile import local_profile
from biopipelines.validation.execution.runner import Listener, RunRequest, execute, tail


class RunSession:
    def __init__(self, request: RunRequest, heal: bool = False, max_heal_attempts: int = 2) -> None:
        self.request = request
        self.heal = heal
        self.max_heal_attempts = max_heal_attempts

    def run(self, listener: Listener | None = None) -> RunRecord:
        record = self._classified(execute(self.request, listener))
        heals: list[HealStep] = []
        while self.heal and record.status == "failed" and len(heals) < self.max_heal_attempts:
            from biopipelines.graph.commands.run_heal import heal_once

            step = heal_once(self.request, record, attempt=len(heals) + 1)
            if step is None:
                break
            heals.append(step)
            if not step.revalidated:
                break
            # a heal may have written the local profile (profiles/default) that the first attempt did not have
            profile = self.request.profile or local_profile(self.request.workflow_dir)
            resumed = replace(self.request, rerun_incomplete=True, profile=profile)
            previous = record
            record = execute(resumed, listener)
            record.heals, record.attempts, record.resumed_from = list(heals), len(heals) + 1, previous.id
            record = self._classified(record)
            self.request = resumed
        if heals and record.heals != heals:  # the last patch did not validate: the failed record says what was tried
            record.heals = list(heals)
            save_record(record, self.request.workflow_dir)
        return record

    def _classified(self, record: RunRecord) -> RunRecord:
        if record.failure is not None:
            record.failure = classify(record.failure, tail(Path(record.snakemake_log), 60))
        save_record(record, self.request.workflow_dir)
        return record

    @staticmethod
    def summary(record: RunRecord) -> str:
        lines = [f"run {record.id}: {record.status} ({record.jobs_done}/{record.jobs_total or '?'} jobs); "
                 f"record: {record.workflow_dir}/.biopipelines/runs/{record.id}/run.json"]
        for step in record.heals:
            lines.append(f"healed ({step.cause} in {step.rule}): {'; '.join(step.changes)}")
        if record.failure is not None:
            f = record.failure
            lines.append(f"failed rule {f.rule} ({f.cause}): {f.evidence or 'see the log'}; log: "
                         f"{', '.join(f.logs) or record.snakemake_log}")
            lines.append(f"advice: {f.advice}")
        return "\n".join(lines)
