"""Run-time healing proposals, without running tools: resources doubled from what the job ran with (edited in the
profile's own lines), a built index set aside but never a provided reference, strandedness read from the strand
split, no patch for causes a patch cannot fix, and the README note."""

from __future__ import annotations

from pathlib import Path

import yaml

from biopipelines.core.run_record import Failure, HealStep, JobState, RunRecord
from biopipelines.graph.commands.run_heal import README_HEADING, note_in_readme
from biopipelines.library.healing import HealContext, apply_patch, propose
from biopipelines.library.healing.resources import set_resource
from biopipelines.library.healing.strandedness import infer

PROFILE = """executor: slurm
# Per-step memory (MB)
set-resources:
  star_align:
    mem_mb: 36000
    runtime: 240
  fastp:
    mem_mb: 4000
set-threads:
  star_align: 8
"""


def _context(tmp_path: Path, cause: str, job: JobState, evidence: str = "") -> HealContext:
    failure = Failure(rule=job.rule, jobid=job.jobid, cause=cause, evidence=evidence)
    record = RunRecord(id="r1", workflow_dir=str(tmp_path), run_dir=str(tmp_path), command=[], jobs=[job],
                       failure=failure, status="failed")
    return HealContext(record=record, workflow_dir=tmp_path, run_dir=tmp_path,
                       profile=tmp_path / "profiles" / "slurm" / "config.yaml")


def test_out_of_memory_doubles_what_the_job_ran_with_and_keeps_comments(tmp_path: Path) -> None:
    (tmp_path / "profiles" / "slurm").mkdir(parents=True)
    (tmp_path / "profiles" / "slurm" / "config.yaml").write_text(PROFILE)
    job = JobState(jobid=3, rule="star_align", resources={"mem_mb": "36000", "runtime": "240"})
    patch = propose(_context(tmp_path, "out_of_memory", job, "std::bad_alloc"))
    assert patch.changes == ["profiles/slurm/config.yaml: set-resources.star_align.mem_mb: 36000 -> 72000"]
    text = patch.writes[tmp_path / "profiles" / "slurm" / "config.yaml"]
    assert "# Per-step memory (MB)" in text
    data = yaml.safe_load(text)
    assert data["set-resources"]["star_align"] == {"mem_mb": 72000, "runtime": 240}
    assert data["set-resources"]["fastp"] == {"mem_mb": 4000} and data["set-threads"] == {"star_align": 8}


def test_time_limit_adds_the_rule_to_a_profile_without_it(tmp_path: Path) -> None:
    job = JobState(jobid=1, rule="bwa_mem", resources={"runtime": "60"})
    patch = propose(_context(tmp_path, "time_limit", job))
    assert patch.changes == ["profiles/slurm/config.yaml: set-resources.bwa_mem.runtime: 60 -> 120"]
    assert yaml.safe_load(set_resource("jobs: 1\n", "x", "mem_mb", 5)) == {"jobs": 1, "set-resources": {"x": {
        "mem_mb": 5}}}


def test_an_index_is_set_aside_but_a_provided_reference_never(tmp_path: Path) -> None:
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "config.yaml").write_text("reference:\n  fasta: ref/genome.fa\n")
    for path in ("ref/genome.fa", "resources/star_index/SA", "results/a.fq.gz"):
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text("x")
    job = JobState(jobid=2, rule="star_align", inputs=["results/a.fq.gz", "resources/star_index", "ref/genome.fa"])
    context = _context(tmp_path, "missing_reference", job, "could not open genome file resources/star_index//x")
    patch = propose(context)
    assert patch.changes == ["resources/star_index: set aside to .biopipelines/runs/r1/set-aside/ (rebuilt by its "
                             "rule on resume)"]
    apply_patch(patch, tmp_path / "aside")
    assert not (tmp_path / "resources" / "star_index").exists() and (tmp_path / "aside" / "star_index" / "SA").is_file()
    assert (tmp_path / "ref" / "genome.fa").is_file()
    job.inputs = ["ref/genome.fa"]  # only the user's reference: nothing to rebuild
    assert propose(_context(tmp_path, "missing_reference", job, "ref/genome.fa.fai not found")) is None


def test_strandedness_from_the_strand_split() -> None:
    assert infer(980, 20) == 1 and infer(15, 985) == 2 and infer(510, 490) == 0 and infer(0, 0) is None


def test_no_patch_for_missing_input_or_tool_error(tmp_path: Path) -> None:
    job = JobState(jobid=1, rule="fastp")
    assert propose(_context(tmp_path, "missing_input", job)) is None
    assert propose(_context(tmp_path, "tool_error", job)) is None


def test_each_change_is_noted_in_the_workflow_readme(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("# wf\n")
    step = HealStep(attempt=1, cause="out_of_memory", rule="star_align", changes=["a: b: 1 -> 2"], why="w",
                    revalidated=True)
    note_in_readme(tmp_path, "r1", step)
    note_in_readme(tmp_path, "r2", step)
    text = (tmp_path / "README.md").read_text()
    assert text.count(README_HEADING) == 1 and "run r1 failed in rule `star_align`" in text and "run r2" in text
