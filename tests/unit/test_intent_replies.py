"""Non-workflow intents get useful replies, never a workflow; data searches get exact fetch commands."""

from __future__ import annotations

import pytest

from biopipelines.core.schemas import Entities, IntentResult
from biopipelines.nodes.intent import fetch_commands, reply_for


@pytest.mark.parametrize(("intent", "status", "needle"), [
    ("smalltalk", "not_a_workflow", "Snakemake workflows"),
    ("data_search", "not_a_workflow", "esearch -db sra"),
    ("job_management", "not_a_workflow", "scancel <jobid>"),
    ("validate_workflow", "not_a_workflow", "biopipelines validate DIR"),
    ("unsafe", "refused", "can't help"),
    ("unknown", "not_a_workflow", "describe your data"),
])
def test_replies(intent: str, status: str, needle: str) -> None:
    reply = reply_for(IntentResult(intent=intent, confidence=0.9))
    assert reply["status"] == status and needle in reply["answer"]


def test_experts_answer_explain_and_statistics() -> None:
    assert reply_for(IntentResult(intent="explain", confidence=0.9)) == {}
    assert reply_for(IntentResult(intent="statistics", confidence=0.9)) == {}


def test_data_search_with_accessions_gets_exact_commands() -> None:
    entities = Entities(accessions=["SRR1234567", "PRJNA123456", "GSE98765", "ENCSR000AKB", "E-MTAB-1234"])
    answer = reply_for(IntentResult(intent="data_search", confidence=0.9, entities=entities))["answer"]
    assert "`prefetch SRR1234567 && fasterq-dump --split-files SRR1234567`" in answer
    assert "esearch -db sra -query PRJNA123456 | efetch -format runinfo > PRJNA123456_runinfo.csv" in answer
    assert "esearch -db gds -query 'GSE98765[ACCN]'" in answer
    assert "https://www.encodeproject.org/ENCSR000AKB/?format=json" in answer
    assert "E-MTAB-1234: no fetch command known" in answer  # no guess for a kind it has no command for


def test_fetch_commands_keep_order_and_one_line_each() -> None:
    lines = fetch_commands(["ERR000001", "SRP000002"])
    assert lines[0].startswith("ERR000001 (sequencing run)") and lines[1].startswith("SRP000002 (SRA/ENA")
    assert all("\n" not in line for line in lines)


def test_clarifying_question_is_the_answer_for_vague_workflow_requests() -> None:
    vague = IntentResult(intent="generate_workflow", confidence=0.5, needs_clarification=True,
                         clarifying_question="Which assay is it, and which organism?")
    assert reply_for(vague) == {"status": "needs_clarification", "answer": "Which assay is it, and which organism?"}
