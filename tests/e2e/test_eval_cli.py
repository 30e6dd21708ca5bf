"""`biopipelines eval` as a user runs it: the shipped labelled set, a small file, --split, and bad input."""

from __future__ import annotations

import json

import pytest

from tests.cli import REPO, run_cli

pytestmark = pytest.mark.e2e

SHIPPED = REPO / "tests" / "data" / "intent_eval.jsonl"

SMALL = [
    {"query": "RNA-seq DE for mouse liver, 3 knockout vs 3 wild type, STAR and DESeq2", "intent": "generate_workflow",
     "analysis_type": "rnaseq_de", "tools": ["STAR", "DESeq2"], "split": "a"},
    {"query": "ChIP-seq peaks for CTCF in human cells with an input control", "intent": "generate_workflow",
     "analysis_type": "chipseq_peaks", "tools": ["MACS3"], "split": "a"},
    {"query": "hello!", "intent": "smalltalk", "analysis_type": None, "split": "b"},
    # deliberately mislabelled: the harness must count it as a miss
    {"query": "cancel my SLURM job 1234", "intent": "smalltalk", "split": "b"},
    {"query": "what does MACS3 do?"},  # no labels: counted for latency only
]


def _write(tmp_path, rows) -> str:
    path = tmp_path / "set.jsonl"
    path.write_text("".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in rows))
    return str(path)


def test_shipped_set_meets_the_accuracy_targets() -> None:
    result = run_cli("eval", str(SHIPPED), "--json")
    assert result.returncode == 0, result.stderr.decode()
    report = json.loads(result.stdout)
    full = report["all"]
    assert full["n"] >= 300
    assert full["intent_accuracy"] >= 0.95 and full["analysis_type_accuracy"] >= 0.95, report["misses"]
    assert set(report["splits"]) == {"dev", "holdout"}
    assert report["splits"]["holdout"]["n"] >= 60
    assert full["tools_expected"] > 0 and full["tool_recall"] is not None
    assert full["tiers"] == {"offline": full["n"]}  # the offline profile: the offline tier served every query
    assert set(full["latency_ms"]) == {"p50", "p90", "p99", "max"}


def test_small_file_metrics_confusion_and_misses(tmp_path) -> None:
    result = run_cli("eval", _write(tmp_path, SMALL), "--json")
    assert result.returncode == 0, result.stderr.decode()
    report = json.loads(result.stdout)
    full = report["all"]
    assert full["n"] == 5 and full["intent_n"] == 4 and full["analysis_type_n"] == 3
    assert full["intent_accuracy"] == 0.75  # the mislabelled row is a miss
    assert full["analysis_type_accuracy"] == 1.0
    assert full["tool_recall"] == 1.0 and full["tools_expected"] == 3
    assert full["confusion"]["rnaseq_de"] == {"rnaseq_de": 1} and full["confusion"]["(none)"] == {"(none)": 1}
    assert [m["query"] for m in report["misses"]] == ["cancel my SLURM job 1234"]
    assert report["misses"][0]["got"][0] == "job_management"
    assert report["splits"]["b"]["intent_accuracy"] == 0.5


def test_text_output_and_split_filter(tmp_path) -> None:
    result = run_cli("eval", _write(tmp_path, SMALL), "--split", "a")
    assert result.returncode == 0, result.stderr.decode()
    out = result.stdout.decode()
    assert "all: n=2" in out and "intent 100.0%" in out and "tool recall 100.0%" in out
    assert "analysis type confusion" in out and "chipseq_peaks" in out


@pytest.mark.parametrize(("rows", "message"), [
    (['{"query": "hi", "intent": "smalltalk"}', "not json"], ":2: not JSON"),
    ([{"query": "hi", "intent": "greeting"}], ":1: intent:"),
    ([{"query": "hi", "analysis_type": "rnaseq"}], "unknown slug 'rnaseq'"),
    ([{"query": "hi", "labels": "x"}], ":1: labels: Extra inputs are not permitted"),
    ([{"intent": "smalltalk"}], ":1: query: Field required"),
    ([], "no queries"),
])
def test_bad_files_give_one_line_and_exit_2(tmp_path, rows, message) -> None:
    result = run_cli("eval", _write(tmp_path, rows), "--json")
    err = result.stderr.decode().strip()
    assert result.returncode == 2 and result.stdout == b""
    assert len(err.splitlines()) == 1 and message in err and "Traceback" not in err


def test_missing_file_and_empty_split(tmp_path) -> None:
    missing = run_cli("eval", str(tmp_path / "nope.jsonl"))
    assert missing.returncode == 2 and "no such file" in missing.stderr.decode()
    empty = run_cli("eval", _write(tmp_path, SMALL), "--split", "zzz")
    assert empty.returncode == 2 and "no rows with split 'zzz'" in empty.stderr.decode()


def test_generate_reports_the_validated_rate(tmp_path) -> None:
    rows = [SMALL[0], {"query": "analyze my data", "intent": "generate_workflow", "analysis_type": None}]
    result = run_cli("eval", _write(tmp_path, rows), "--generate", "--json")
    assert result.returncode == 0, result.stderr.decode()
    generate = json.loads(result.stdout)["all"]["generate"]
    # the clear request is generated and validated by the real validator; the vague one gets a question instead
    assert generate["runs"] == 2 and generate["workflows"] == 1 and generate["validated"] == 1
    assert generate["statuses"] == {"validated": 1, "needs_clarification": 1}
    assert generate["validated_rate"] == 1.0
