"""`biopipelines run` and `status` as a user drives them, on a two-rule workflow: progress, the run record, a
deliberately failed rule reported with its log tail and classified cause, bad input as one line, and a run through
the generated SLURM profile with snakemake-executor-plugin-slurm against a fake SLURM (tests/fake_slurm)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
import yaml

from biopipelines.core.run_record import load_records
from tests.cli import REPO, run_cli

pytestmark = pytest.mark.e2e
FAKE_SLURM = REPO / "tests" / "fake_slurm" / "bin"
SNAKEFILE = """rule all:
    input: expand("out/{s}.txt", s=["a", "b"]), "out/merged.txt"

rule make:
    output: "out/{s}.txt"
    log: "logs/make/{s}.log"
    shell: "(echo made {wildcards.s}; echo {wildcards.s} > {output}) > {log} 2>&1"

rule merge:
    input: expand("out/{s}.txt", s=["a", "b"])
    output: "out/merged.txt"
    log: "logs/merge.log"
    shell: "(echo merging; %s; cat {input} > {output}) > {log} 2>&1"
"""
FAILING = "echo 'terminate called after throwing an instance of std::bad_alloc' >&2; exit 1"


def _workflow(root: Path, merge_step: str = "true") -> Path:
    (root / "workflow").mkdir(parents=True)
    (root / "workflow" / "Snakefile").write_text(SNAKEFILE % merge_step)
    return root


def test_a_successful_run_shows_progress_and_leaves_a_record(tmp_path: Path) -> None:
    root = _workflow(tmp_path / "wf")
    done = run_cli("run", str(root), "--cores", "2")
    assert done.returncode == 0, done.stderr.decode()
    assert "[4/4 jobs]" in done.stderr.decode() and "elapsed" in done.stderr.decode()
    (record,) = load_records(root)
    assert record.status == "succeeded" and record.jobs_done == record.jobs_total == 4 and record.end
    assert {r.rule: r.done for r in record.rules()} == {"make": 2, "merge": 1, "all": 1}
    assert Path(record.snakemake_log).read_text().count("Finished jobid") == 4
    assert record.snakemake_own_log and (root / record.snakemake_own_log).is_file()
    assert (root / "out" / "merged.txt").read_text() == "a\nb\n"


def test_status_reports_the_failed_rule_its_log_tail_and_cause(tmp_path: Path) -> None:
    root = _workflow(tmp_path / "wf", FAILING)
    done = run_cli("run", str(root))
    assert done.returncode == 6 and "failed rule merge (out_of_memory)" in done.stdout.decode()
    status = run_cli("status", str(root))
    text = status.stdout.decode()
    assert status.returncode == 0
    assert "failed: rule merge" in text and "cause: out_of_memory" in text
    assert f"log: {root / 'logs' / 'merge.log'}" in text
    assert "    | merging" in text and "std::bad_alloc" in text
    assert "failure card: troubleshoot-star-out-of-memory" in text
    report = json.loads(run_cli("status", str(root), "--json").stdout)
    failure = report["latest"]["failure"]
    assert (failure["rule"], failure["cause"], failure["logs"]) == ("merge", "out_of_memory", ["logs/merge.log"])
    assert report["latest"]["status"] == "failed" and len(report["runs"]) == 1


def test_status_without_runs_says_how_to_make_one(tmp_path: Path) -> None:
    root = _workflow(tmp_path / "wf")
    done = run_cli("status", str(root))
    assert done.returncode == 0 and "no runs recorded yet" in done.stdout.decode()


@pytest.mark.parametrize(("args", "needle"), [
    (["run", "{tmp}/nothing"], "no such directory"),
    (["run", "{tmp}"], "has no workflow/Snakefile"),
    (["status", "{tmp}/nothing"], "no such directory"),
    (["run", "{wf}", "--profile", "{tmp}/broken.yaml"], "YAML syntax error"),
    (["run", "{wf}", "--profile", "slurm"], "no Snakemake profile"),
    (["run", "{wf}", "--test"], "no .test/config/config.yaml"),
])
def test_bad_input_is_one_line_and_exit_2(tmp_path: Path, args: list[str], needle: str) -> None:
    root = _workflow(tmp_path / "wf")
    (tmp_path / "broken.yaml").write_text("executor: [slurm\n")
    done = run_cli(*[a.format(tmp=tmp_path, wf=root) for a in args])
    err = done.stderr.decode()
    assert done.returncode == 2 and needle in err and len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_test_mode_refuses_the_generated_empty_placeholders(tmp_path: Path) -> None:
    root = _workflow(tmp_path / "wf")
    (root / ".test" / "config").mkdir(parents=True)
    (root / ".test" / "config" / "config.yaml").write_text("samples: config/samples.tsv\nreference: {fasta: g.fa}\n")
    (root / ".test" / "config" / "samples.tsv").write_text("sample\tfq1\ns\tdata/s_R1.fastq.gz\n")
    (root / ".test" / "data").mkdir()
    (root / ".test" / "data" / "s_R1.fastq.gz").write_bytes(b"")
    (root / ".test" / "g.fa").write_text(">c\nACGT\n")
    done = run_cli("run", str(root), "--test")
    assert done.returncode == 2 and "empty placeholders" in done.stderr.decode()


def _generated_slurm_profile(root: Path) -> None:
    """The SLURM profile `generate` writes (library renderer), with the plugin's first status check after 1 s."""
    from biopipelines.core.schemas import Entities
    from biopipelines.library import load_library
    from biopipelines.library.render.snakemake import render_workflow

    library = load_library()
    files = render_workflow(library.plan("rnaseq_de", Entities()), library)
    profile = yaml.safe_load(files["profiles/slurm/config.yaml"])
    assert profile["executor"] == "slurm" and profile["software-deployment-method"] == "conda"
    profile["slurm-init-seconds-before-status-checks"] = 1
    (root / "profiles" / "slurm").mkdir(parents=True)
    (root / "profiles" / "slurm" / "config.yaml").write_text(yaml.safe_dump(profile))


def test_slurm_profile_submits_through_the_executor_plugin(tmp_path: Path) -> None:
    root = _workflow(tmp_path / "wf")
    _generated_slurm_profile(root)
    state = tmp_path / "slurm"
    env = {"PATH": f"{FAKE_SLURM}{os.pathsep}{os.environ['PATH']}", "FAKE_SLURM_DIR": str(state)}
    done = run_cli("run", str(root), "--profile", "slurm", env=env, timeout=400)
    assert done.returncode == 0, done.stdout.decode() + done.stderr.decode()[-3000:]
    (record,) = load_records(root)
    assert record.mode == "slurm" and record.status == "succeeded"
    assert sorted(j.external_id for j in record.jobs if j.rule != "all") == ["100", "101", "102"]
    assert "Trying to restart" not in Path(record.snakemake_log).read_text()  # each job went through first time
    calls = [json.loads(line) for line in (state / "calls.log").read_text().splitlines()]
    submits = [c for c in calls if c[1] == "sbatch"]
    assert len(submits) == 3 and all("--parsable" in c and "--mem" in c for c in submits)
    assert any(c[1] == "sacct" and "--name" in c for c in calls)  # the plugin's status query
    assert any(c[1] == "srun" for c in calls)  # the jobstep plugin ran each job inside its allocation
    ran = yaml.safe_load((root / ".biopipelines" / "runs" / record.id / "profile" / "config.yaml").read_text())
    assert "software-deployment-method" not in ran and ran["executor"] == "slurm"  # tools from PATH, no conda
