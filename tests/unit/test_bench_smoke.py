"""Each benchmark's --smoke mode runs and writes JSON of the expected shape (CI keeps the benchmarks working).

These check shapes and internal consistency, never speed: the figures themselves are the benchmarks' business.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture()
def run_smoke(tmp_path):
    """Run one benchmark's smoke mode with its results in tmp_path (the recorded full results stay as they are)."""

    def run(name: str) -> dict:
        return _run(name, tmp_path)

    return run


def _run(name: str, results: Path) -> dict:
    path = results / f"{name}.json"
    done = subprocess.run([sys.executable, str(REPO / "bench" / f"{name}.py"), "--smoke"], capture_output=True,
                          text=True, timeout=600, cwd=REPO, env={**os.environ, "BENCH_RESULTS_DIR": str(results)})
    assert done.returncode == 0, done.stderr[-2000:]
    lines = done.stdout.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"{name}:"), done.stdout
    data = json.loads(path.read_text())
    assert data["benchmark"] == name and data["mode"] == "smoke"
    assert len(data["machine"]["load_avg_1_5_15"]) == 3 and data["machine"]["cpus"] >= 1
    return data


def check_summary(summary: dict, n: int) -> None:
    assert summary["n"] == n
    assert 0 < summary["min_ms"] <= summary["p50_ms"] <= summary["p95_ms"] <= summary["max_ms"]


def test_delay_server_answers_every_schema_the_graph_asks_for():
    from bench.delay_server import ANSWERS, answer_for
    from biopipelines.core.schemas import ExpertAnswer, IntentResult
    from biopipelines.nodes.schemas import CodeFiles, DocsOverview, PlanAdvice, Review

    for schema in (IntentResult, PlanAdvice, CodeFiles, Review, DocsOverview, ExpertAnswer):
        body = {"response_format": {"type": "json_schema", "json_schema": {
            "name": schema.__name__, "schema": schema.model_json_schema()}},
            "messages": [{"role": "user", "content": "RNA-seq DE"}]}
        assert schema.model_validate_json(answer_for(body)) == schema.model_validate(ANSWERS[schema.__name__])
    question = {"response_format": {"type": "json_object", "schema": IntentResult.model_json_schema()},
                "messages": [{"role": "user", "content": "Why DESeq2?"}]}
    assert IntentResult.model_validate_json(answer_for(question)).intent == "explain"
    assert answer_for({"messages": [{"role": "user", "content": "guard this"}]}) == "safe"
    with pytest.raises(KeyError):
        answer_for({"response_format": {"type": "json_object", "schema": {"title": "Unknown"}}})


def test_critical_chain_counts_calls_that_ran_one_after_another():
    from bench.delay_server import critical_chain

    assert critical_chain([[0, 1, "a"], [1, 2, "b"], [1.5, 2.5, "c"], [3, 4, "d"]]) == 3
    assert critical_chain([[0, 1, "a"], [0, 1, "b"]]) == 1
    assert critical_chain([]) == 0


def test_overhead_smoke(run_smoke):
    data = run_smoke("overhead")
    assert data["model_calls_per_request"] >= 4  # intent, planner, coder, validator, docs on their model tier
    check_summary(data["instant_models"]["request"], 2)
    check_summary(data["delay_server"]["request"], 2)
    assert {"intent", "planner", "coder", "validator", "docs"} <= set(data["delay_server"]["nodes"])
    # On the delay server a request cannot take less than its model calls.
    assert data["delay_server"]["request"]["min_ms"] >= data["model_time_ms"]
    assert data["meets_target"] == (data["overhead_fraction"] <= data["target_fraction"])


def test_critical_path_smoke(run_smoke):
    data = run_smoke("critical_path")
    rows = data["scenarios"]
    assert set(rows) == {"generate", "explain", "generate_dual_use"}
    assert "bio_expert" in rows["explain"]["nodes"] and "planner" in rows["generate"]["nodes"]
    for row in rows.values():
        assert 1 <= row["sequential_calls"] <= row["model_calls"]
        assert row["ratio"] >= 1.0  # nothing beats the delay server's own calls
    # The dual-use request adds the guard's calls on both sides of the turn; the input guard runs beside intent, so
    # its call overlaps intent's and the chain is shorter than the number of calls.
    dual = rows["generate_dual_use"]
    assert dual["model_calls"] > rows["generate"]["model_calls"]
    assert dual["sequential_calls"] < dual["model_calls"] and dual["max_in_flight"] >= 2
    assert dual["ideal_sequential_calls"] == dual["sequential_calls"]


def test_concurrency_smoke(run_smoke):
    data = run_smoke("concurrency")
    assert [r["sessions"] for r in data["levels"]] == [1, 3]
    for row in data["levels"]:
        check_summary(row["latency"], row["sessions"])
        assert row["model_calls"] >= 4 * row["sessions"]
        assert row["server_capacity_calls_per_s"] > 0 and row["fraction_of_capacity"] > 0


def test_serve_concurrency_smoke(run_smoke):
    from tests.postgres import MISSING, pg_bin

    if pg_bin() is None:
        pytest.skip(MISSING)
    data = run_smoke("serve_concurrency")
    assert (data["sessions"], data["workers"], data["checkpointer"]) == (3, 2, "postgres")
    check_summary(data["latency"], 3)
    assert data["model_calls"] >= 5 * 3  # intent, planner, coder, validator and docs on the delay server, each turn
    assert data["server_capacity_calls_per_s"] > 0
    # both rates are written rounded to 0.01 and the fraction is taken before rounding: equal to within 0.001
    ratio = data["model_calls_per_s"] / data["server_capacity_calls_per_s"]
    assert data["fraction_of_capacity"] == pytest.approx(ratio, abs=1e-3)


def test_cold_start_smoke(run_smoke):
    data = run_smoke("cold_start")
    assert data["status"] == "validated"
    phases = data["phases"]
    for key in ("imports_s", "graph_build_s", "embedder_load_s", "first_request_s", "interpreter_start_and_exit_s"):
        assert phases[key] >= 0
    assert phases["first_request_validation_subprocess_s"] > 0  # real Snakemake checks ran
    (warm,) = data["warm_requests"]
    assert warm["status"] == "validated" and warm["snakemake_subprocess_s"] > 0
    assert abs(warm["total_s"] - warm["snakemake_subprocess_s"] - warm["outside_s"]) < 0.01
    check_summary(data["cli_generate"], 1)
    check_summary(data["cli_classify"], 1)


def test_history_appends_one_line_of_headline_figures(tmp_path):
    results, history = tmp_path / "results", tmp_path / "history"
    results.mkdir()
    (results / "cold_start.json").write_text(json.dumps({
        "cli_classify": {"p50_ms": 640.0}, "cli_generate": {"p50_ms": 4100.0}, "phases": {"imports_s": 0.9}}))
    (results / "concurrency.json").write_text(json.dumps({"levels": [
        {"sessions": 1, "requests_per_s": 2.0, "fraction_of_capacity": 0.9},
        {"sessions": 50, "requests_per_s": 9.1, "fraction_of_capacity": 0.5}]}))
    env = {**os.environ, "BENCH_RESULTS_DIR": str(results), "BENCH_HISTORY_DIR": str(history)}
    script = [sys.executable, str(REPO / "bench" / "history.py")]
    for args in ([], [], ["--smoke"]):
        done = subprocess.run(script + args, capture_output=True, text=True, cwd=REPO, env=env, timeout=60)
        assert done.returncode == 0, done.stderr
    lines = [json.loads(line) for line in (history / "runs.jsonl").read_text().splitlines()]
    assert len(lines) == 2  # the smoke run is not recorded
    figures = lines[-1]["figures"]
    assert figures == {"cli_classify_p50_ms": 640.0, "cli_generate_p50_ms": 4100.0, "cold_imports_s": 0.9,
                       "concurrency_sessions": 50, "concurrency_req_per_s": 9.1,
                       "concurrency_fraction_of_capacity": 0.5}
    assert lines[-1]["date"] and lines[-1]["machine"]["cpus"] >= 1 and "numpy" in lines[-1]["versions"]


def test_history_without_results_says_so_in_one_line(tmp_path):
    env = {**os.environ, "BENCH_RESULTS_DIR": str(tmp_path), "BENCH_HISTORY_DIR": str(tmp_path / "history")}
    done = subprocess.run([sys.executable, str(REPO / "bench" / "history.py")], capture_output=True, text=True,
                          cwd=REPO, env=env, timeout=60)
    assert done.returncode == 1 and done.stderr.count("\n") == 1 and "no results" in done.stderr
    assert not (tmp_path / "history").exists()
