"""`validate --execute` ends a failed run's details with the failed job's own log, not the first log Snakemake
printed (a FastQC log was shown for a failed DEXSeq annotation step)."""

from __future__ import annotations

from pathlib import Path

from biopipelines.graph.commands.validate_execute import _failed_log_tail

OUTPUT = """[Sun Dec  6 22:07:01 2026]
rule fastqc:
    input: data/a_R1.fastq.gz
    log: logs/fastqc/a.log
[Sun Dec  6 22:07:03 2026]
Error in rule dexseq_prepare_annotation:
    jobid: 3
    input: data/genes.gtf
    log: logs/dexseq_prepare_annotation.log (check log file(s) for error details)
"""


def test_the_failed_rules_log_is_shown(tmp_path: Path) -> None:
    (tmp_path / "logs" / "fastqc").mkdir(parents=True)
    (tmp_path / "logs" / "fastqc" / "a.log").write_text("Analysis complete\n")
    (tmp_path / "logs" / "dexseq_prepare_annotation.log").write_text("Could not import HTSeq\n")
    tail = _failed_log_tail(tmp_path, OUTPUT)
    assert "logs/dexseq_prepare_annotation.log" in tail and "Could not import HTSeq" in tail
    assert "Analysis complete" not in tail


def test_no_failed_rule_or_no_log_file_adds_nothing(tmp_path: Path) -> None:
    assert _failed_log_tail(tmp_path, "rule fastqc:\n    log: logs/fastqc/a.log\n") == ""
    assert _failed_log_tail(tmp_path, OUTPUT) == ""  # the log file is missing
