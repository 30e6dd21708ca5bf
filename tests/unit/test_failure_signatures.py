"""The run-time failure classifier: each cause from a log line real tools print, table order (specific before
catch-all), Snakemake's output consulted only when the rule's log is not specific, and every cause's card exists."""

from __future__ import annotations

from pathlib import Path

import pytest

from biopipelines.core.run_record import Failure
from biopipelines.rag.failure_signatures import TABLE, classify, load_signatures

KNOWLEDGE = Path(TABLE).parent


@pytest.mark.parametrize(("line", "cause"), [
    ("terminate called after throwing an instance of 'std::bad_alloc'", "out_of_memory"),
    ("slurmstepd: error: Detected 1 oom_kill event in StepId=1.batch", "out_of_memory"),
    ("Exception in thread \"main\" java.lang.OutOfMemoryError: Java heap space", "out_of_memory"),
    ("slurmstepd: error: *** JOB 7 ON n1 CANCELLED AT 2026-01-01T00:00:00 DUE TO TIME LIMIT ***", "time_limit"),
    ("[E::bwa_idx_load_from_disk] fail to locate the index files", "missing_reference"),
    ("EXITING because of FATAL ERROR: could not open genome file idx//genomeParameters.txt", "missing_reference"),
    ("0 genes kept after filtering", "strandedness_or_layout"),
    ("  all samples have 0 counts for all genes. check the counting script.", "strandedness_or_layout"),
    ("Successfully assigned alignments : 12 (0.1%)", "strandedness_or_layout"),
    ("MissingInputException in rule fastp in file workflow/rules/fastp.smk, line 2:", "missing_input"),
    ("[E::hts_open_format] Failed to open file x.bam : No such file or directory", "missing_input"),
    ("ERROR: invalid option -Q", "tool_error"),
    ("/usr/bin/bash: line 1: gatk: command not found", "tool_error"),
])
def test_causes(line: str, cause: str) -> None:
    assert classify(Failure(rule="r", log_tail=["starting", line])).cause == cause


def test_evidence_card_and_advice_come_with_the_cause() -> None:
    found = classify(Failure(rule="star_align", log_tail=["ok", "std::bad_alloc", "done"]))
    assert (found.evidence, found.card) == ("std::bad_alloc", "troubleshoot-star-out-of-memory")
    assert "mem_mb" in found.advice


def test_an_empty_log_of_a_killed_job_is_read_from_snakemakes_output() -> None:
    snakemake = ["Command 'set -euo pipefail; STAR ...' returned non-zero exit status 137."]
    assert classify(Failure(rule="star_align", log_tail=[]), snakemake).cause == "out_of_memory"
    # the rule's own specific evidence wins over Snakemake's output
    assert classify(Failure(rule="bwa", log_tail=["fail to locate the index"]), snakemake).cause == "missing_reference"


def test_nothing_known_is_unknown_and_says_so() -> None:
    found = classify(Failure(rule="r", log_tail=["all fine here"]))
    assert found.cause == "unknown" and found.card is None and "read its last lines" in found.advice


def test_every_card_the_table_names_is_a_knowledge_card() -> None:
    cards = {s.card for s, _ in load_signatures() if s.card}
    assert cards and all((KNOWLEDGE / f"{card}.md").is_file() for card in cards)
