"""What a workflow's runs did, in words, from their run records: the answer of `biopipelines status` and of the
job_management intent when the conversation knows the workflow directory."""

from __future__ import annotations

from pathlib import Path

from biopipelines.core.run_record import RunRecord, load_records
from biopipelines.nodes.prompts import load_prompt

TAIL_SHOWN = 12


def _elapsed(record: RunRecord) -> str:
    if record.end is None:
        return "still running (or stopped without a word)"
    seconds = int((record.end - record.start).total_seconds())
    return f"{seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"


def describe_run(record: RunRecord) -> list[str]:
    where = " on .test/" if record.test else ""
    lines = [f"run {record.id} ({record.mode}{where}): {record.status}, {record.jobs_done}/"
             f"{record.jobs_total if record.jobs_total is not None else '?'} jobs, started "
             f"{record.start:%Y-%m-%d %H:%M:%S} UTC, {_elapsed(record)}"]
    rules = record.rules()
    if rules:
        lines.append("  rules: " + " | ".join(
            f"{r.rule} " + ", ".join(f"{n} {s}" for s, n in (("done", r.done), ("running", r.running),
                                                              ("failed", r.failed)) if n) for r in rules))
    for step in record.heals:
        lines.append(f"  healed before attempt {step.attempt + 1} ({step.cause} in {step.rule}): "
                     f"{'; '.join(step.changes)}. Why: {step.why}")
    if record.failure is not None:
        lines += _describe_failure(record)
    lines.append(f"  Snakemake's output: {record.snakemake_log}")
    if record.snakemake_own_log:
        lines.append(f"  Snakemake's own log: {Path(record.run_dir) / record.snakemake_own_log}")
    return lines


def _describe_failure(record: RunRecord) -> list[str]:
    failure = record.failure
    assert failure is not None
    logs = [str(Path(record.run_dir) / p) for p in failure.logs] or [record.snakemake_log]
    card = f" (failure card: {failure.card})" if failure.card else ""
    lines = [f"  failed: rule {failure.rule}" + (f" (job {failure.jobid})" if failure.jobid is not None else ""),
             f"  cause: {failure.cause}" + (f", from: {failure.evidence}" if failure.evidence else ""),
             f"  log: {', '.join(logs)}", "  last lines of the log:"]
    lines += [f"    | {line}" for line in failure.log_tail[-TAIL_SHOWN:]] or ["    (empty)"]
    lines.append(f"  advice: {failure.advice}{card}")
    return lines


def describe_runs(records: list[RunRecord], directory: Path, every: bool = False) -> str:
    if not records:
        return (f"{directory}: no runs recorded yet (run it with `biopipelines run {directory}`; records go to "
                f"{directory}/.biopipelines/runs/)")
    shown = records if every else records[-1:]
    head = f"{directory}: {len(records)} run(s) recorded" + ("" if every else "; the latest:")
    body = [line for record in shown for line in describe_run(record)]
    return "\n".join([head, *body])


def job_status_answer(workflow_dir: str | None, general: str) -> str:
    """The job_management answer: the runs of the conversation's workflow when it knows one, else the general
    advice and how to point it at a workflow."""
    if workflow_dir and (Path(workflow_dir) / "workflow" / "Snakefile").is_file():
        directory = Path(workflow_dir)
        return describe_runs(load_records(directory), directory)
    return f"{general}\n{load_prompt('reply_job_status_where').strip()}"
