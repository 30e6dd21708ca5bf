"""The job_management intent answers from the run records of the workflow the conversation knows (RunContext's
workflow_dir: the REPL's /save or /workdir), and otherwise says how to point it at one."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from langchain_core.messages import HumanMessage

from biopipelines.core.run_record import Failure, JobState, RunRecord, now, save_record
from biopipelines.core.settings import load_settings
from biopipelines.graph.builder import build_graph
from biopipelines.nodes.state import RunContext

QUESTION = "what's the status of my job? did my run fail?"


def _failed_run(root: Path) -> None:
    (root / "workflow").mkdir(parents=True)
    (root / "workflow" / "Snakefile").write_text("rule all:\n    input: []\n")
    start = now()
    record = RunRecord(
        id="20260101T000000-abcdef", workflow_dir=str(root), run_dir=str(root), command=["snakemake"],
        start=start, end=start + timedelta(seconds=75), status="failed", exit_code=1, jobs_total=5, jobs_done=3,
        jobs=[JobState(jobid=1, rule="fastp", status="done"),
              JobState(jobid=2, rule="star_align", status="failed", logs=["logs/star_align/a.log"])],
        snakemake_log=str(root / "snakemake.log"),
        failure=Failure(rule="star_align", jobid=2, logs=["logs/star_align/a.log"],
                        log_tail=["loading genome", "std::bad_alloc"], cause="out_of_memory",
                        evidence="std::bad_alloc", card="troubleshoot-star-out-of-memory",
                        advice="raise mem_mb"))
    save_record(record, root)


@pytest.fixture(scope="module")
def graph():
    return build_graph(load_settings("offline"))


def test_a_job_question_with_a_known_workflow_answers_from_its_runs(graph, tmp_path: Path) -> None:
    _failed_run(tmp_path / "wf")
    state = graph.invoke({"messages": [HumanMessage(QUESTION)]},
                         context=RunContext(workflow_dir=str(tmp_path / "wf")))
    assert state["intent"].intent == "job_management" and state["status"] == "not_a_workflow"
    answer = state["answer"]
    assert "run 20260101T000000-abcdef (local): failed, 3/5 jobs" in answer
    assert "failed: rule star_align (job 2)" in answer and "cause: out_of_memory" in answer
    assert "| std::bad_alloc" in answer and str(tmp_path / "wf" / "logs" / "star_align" / "a.log") in answer


def test_without_a_workflow_it_says_how_to_point_at_one(graph) -> None:
    state = graph.invoke({"messages": [HumanMessage(QUESTION)]}, context=RunContext())
    assert "scancel <jobid>" in state["answer"] and "/workdir DIR" in state["answer"]
    assert "biopipelines status DIR" in state["answer"]


def test_the_repl_workdir_command_points_job_questions_at_a_workflow(tmp_path: Path) -> None:
    import io

    from biopipelines.graph.repl import ChatSession

    _failed_run(tmp_path / "wf")
    out = io.StringIO()
    session = ChatSession(load_settings("offline"), tmp_path / "threads.sqlite", None, out=out)
    try:
        session.command(f"/workdir {tmp_path / 'wf'}")
        session.ask(QUESTION)
    finally:
        session.close()
    text = out.getvalue()
    assert f"job questions now read the runs of {tmp_path / 'wf'}" in text
    assert "failed: rule star_align (job 2)" in text
