"""Snakemake 9's output read into a run record: job starts, finishes, failures with their logs, totals, the SLURM
executor's submission lines and its multi-line error messages (as captured from real runs of snakemake 9.27)."""

from __future__ import annotations

from biopipelines.core.run_record import RunRecord
from biopipelines.validation.execution.progress import ProgressReader

LOCAL = """Job stats:
job      count
-----  -------
make         2
bad          1
all          1
total        4

[Sun Dec  6 05:17:52 2026]
localrule make:
    output: out/a.txt
    log: logs/make/a.log
    jobid: 1
    wildcards: s=a
Shell command: echo a > out/a.txt

[Sun Dec  6 05:17:52 2026]
rule bad:
    input: out/a.txt
    output: out/bad.txt
    log: logs/bad.log, logs/bad.err
    jobid: 3
[Sun Dec  6 05:17:52 2026]
Finished jobid: 1 (Rule: make)
1 of 4 steps (25%) done
RuleException:
[Sun Dec  6 05:17:52 2026]
Error in rule bad:
    message: None
    jobid: 3
    log: logs/bad.log, logs/bad.err (check log file(s) for error details)
    shell:
        (exit 1) > logs/bad.log 2>&1
Exiting because a job execution failed. Look above for error messages
Complete log(s): /w/.snakemake/log/2026-12-06T051752.729983.snakemake.log
"""

SLURM_ERROR = """rule bad:
    log: logs/bad.log
    jobid: 3
Job 3 has been submitted with SLURM jobid 102 (log: /w/.snakemake/slurm_logs/rule_bad/102.log).
Error in rule bad:
    message: SLURM-job '102' failed, SLURM status is: 'FAILED'. Step 3: 100|COMPLETED
101|COMPLETED
102|FAILED.For further error details see the cluster/cloud log and the log files of the involved rule(s).
    jobid: 3
    log: logs/bad.log, /w/.snakemake/slurm_logs/rule_bad/102.log (check log file(s) for error details)
    external_jobid: 102
Exiting because a job execution failed. Look above for error messages
"""


def _read(text: str) -> tuple[RunRecord, ProgressReader]:
    record = RunRecord(id="t", workflow_dir="/w", run_dir="/w", command=["snakemake"])
    reader = ProgressReader(record)
    for line in text.splitlines(keepends=True):
        reader.feed(line)
    reader.close()
    return record, reader


def test_local_output_gives_jobs_totals_failure_and_own_log():
    record, reader = _read(LOCAL)
    assert record.jobs_total == 4 and record.jobs_done == 1
    states = {(j.jobid, j.rule, j.status, j.wildcards) for j in record.jobs}
    assert states == {(1, "make", "done", "s=a"), (3, "bad", "failed", "")}
    bad = next(j for j in record.jobs if j.rule == "bad")
    assert bad.logs == ["logs/bad.log", "logs/bad.err"]
    assert record.snakemake_own_log == "/w/.snakemake/log/2026-12-06T051752.729983.snakemake.log"
    assert reader.running_rules() == []
    assert [(r.rule, r.done, r.failed) for r in record.rules()] == [("make", 1, 0), ("bad", 0, 1)]


def test_running_rules_are_those_started_and_not_finished():
    _, reader = _read(LOCAL.split("Finished jobid")[0])
    assert reader.running_rules() == ["bad", "make"]


def test_slurm_error_block_with_a_multiline_message_keeps_the_job_and_its_cluster_log():
    record, _ = _read(SLURM_ERROR)
    (job,) = record.jobs
    assert job.status == "failed" and job.external_id == "102"
    assert job.logs == ["logs/bad.log", "/w/.snakemake/slurm_logs/rule_bad/102.log"]
