"""Acceptance of the module library: every recipe, with its defaults and with every alternative of every step
(paired- and single-end), renders a workflow that passes `generate`'s whole validation path: the static screen,
`snakemake --lint` with no lints, a dry run (`snakemake --directory .test -n`) on its synthetic test data, and
safety_out; and the catalogue lint finds nothing.

Snakemake runs in subprocesses. To keep the suite fast on two cores, each subprocess is this file run as a
script: it calls Snakemake's own command-line entry point (`snakemake.cli.main`, what the `snakemake` executable
runs) for a batch of workflows, so Snakemake is imported once per batch rather than once per check. One check also
runs the real executable to show both agree.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from biopipelines.core.schemas import Entities
from biopipelines.library import load_library
from biopipelines.library.lint import lint_catalogue
from biopipelines.library.render.snakemake import render_workflow

REPO = Path(__file__).resolve().parents[2]
SNAKEMAKE = Path(sys.executable).with_name("snakemake")
LINT_FAILURE_MARKERS = ("Lints for rule", "Lints for snakefile")


def variants() -> list[tuple[str, str, Entities]]:
    """(id, recipe, entities): each recipe's defaults, single-end, no trimming, and every alternative of every
    step in both read layouts. Built from the catalogue, so a new alternative is tested without editing this."""
    library = load_library()
    found = []
    for slug, recipe in sorted(library.recipes.items()):
        found.append((f"{slug}-default", slug, Entities(organism="human")))
        if "single" in recipe.layouts and "paired" in recipe.layouts:
            found.append((f"{slug}-single", slug, Entities(organism="mouse", read_layout="single")))
        if any("trimming" in step.markers for step in recipe.steps):
            found.append((f"{slug}-no_trimming", slug, Entities(tools_excluded=["step:trimming"])))
        for step in recipe.steps:
            if step.optional and not step.enabled:  # off by default: rendered once with the step asked for
                found.append((f"{slug}-{step.id}=on", slug, Entities(tools_requested=[step.default])))
            for option in step.alternatives:
                for layout in recipe.layouts:
                    found.append((f"{slug}-{step.id}={option.module}-{layout}", slug,
                                  Entities(tools_requested=[option.module], read_layout=layout)))
    # requests whose entities change the rendered science (issue 17): capture targets, a broad mark, a batch
    found += [("germline_variants-exome", "germline_variants", Entities(organism="human", capture="exome")),
              # SnpEff annotation on a bcftools/FreeBayes call: their drops keep the step, which reads their VCF
              ("germline_variants-annotate-freebayes", "germline_variants",
               Entities(organism="human", capture="exome", tools_requested=["freebayes", "snpeff"])),
              ("chipseq_peaks-broad_mark", "chipseq_peaks", Entities(organism="human", histone_mark="H3K27me3")),
              ("rnaseq_de-batch", "rnaseq_de", Entities(organism="human", covariates=["batch"],
                                                        conditions=["KO", "WT"], sample_count=6))]
    return found


VARIANTS = variants()
VARIANT_IDS = [v[0] for v in VARIANTS]
CHECKS = {
    "lint": ["-s", "workflow/Snakefile", "--lint"],
    "dryrun": ["-s", "workflow/Snakefile", "--directory", ".test", "-n"],
}
# The SLURM profile parses and applies (executor and software deployment overridden: no cluster, no conda here).
PROFILE_CHECK = ["-s", "workflow/Snakefile", "--directory", ".test", "-n", "--workflow-profile", "profiles/slurm",
                 "--executor", "local", "--sdm", "env-modules"]


def write_tree(root: Path, files: dict[str, str]) -> None:
    for relative, content in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")


def run_batch(jobs: list[dict]) -> list[dict]:
    """Run Snakemake's CLI entry point for each job in this process (used when this file runs as a script)."""
    from snakemake.cli import main

    results = []
    for job in jobs:
        os.chdir(job["dir"])
        output = io.StringIO()
        try:
            with contextlib.redirect_stdout(output), contextlib.redirect_stderr(output):
                main(job["args"])
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        results.append({**job, "code": code, "output": output.getvalue()})
    return results


@pytest.fixture(scope="module")
def rendered() -> dict[str, dict[str, str]]:
    library = load_library()
    return {name: render_workflow(library.plan(recipe, entities), library) for name, recipe, entities in VARIANTS}


@pytest.fixture(scope="module")
def safety_out():
    from biopipelines.llm.factory import ModelFactory
    from biopipelines.core.settings import load_settings
    from biopipelines.nodes.deps import NodeDeps
    from biopipelines.nodes.safety_out import SafetyOutNode

    settings = load_settings("offline", env={})
    return SafetyOutNode(NodeDeps(settings=settings, models=ModelFactory(settings)))


@pytest.fixture(scope="module")
def snakemake_results(tmp_path_factory, rendered) -> dict[tuple[str, str], dict]:
    root = tmp_path_factory.mktemp("workflows")
    jobs = []
    for name, _, _ in VARIANTS:
        folder = root / name
        write_tree(folder, rendered[name])
        jobs += [{"variant": name, "check": check, "dir": str(folder), "args": args} for check, args in CHECKS.items()]
        if name.endswith("-default"):
            jobs.append({"variant": name, "check": "profile", "dir": str(folder), "args": PROFILE_CHECK})
    batches = [jobs[i::2] for i in range(2)]  # two cores: two Snakemake processes
    processes = []
    for index, batch in enumerate(batches):
        spec = root / f"batch{index}.json"
        spec.write_text(json.dumps(batch))
        processes.append(subprocess.Popen([sys.executable, __file__, str(spec)], stdout=subprocess.PIPE,
                                          stderr=subprocess.PIPE, text=True,
                                          env={**os.environ, "PYTHONPATH": str(REPO)}))
    results = {}
    for process in processes:
        stdout, stderr = process.communicate(timeout=900)
        assert process.returncode == 0, stderr[-3000:]
        for result in json.loads(stdout):
            results[(result["variant"], result["check"])] = result
    return results


@pytest.mark.parametrize("variant", VARIANT_IDS)
def test_rendered_workflow_passes_the_static_screen_and_safety_out(rendered, safety_out, variant):
    """The rest of `generate`'s validation path (lint and dry run are the tests below): the library's own output is
    never refused."""
    from biopipelines.validation import screen_workflow

    files = rendered[variant]
    assert screen_workflow(files) == []
    out = safety_out({"files": files, "answer": "done", "turn": 1, "status": "validated"})
    assert out.get("status") != "refused", out["answer"]
    assert out.get("files", files) == files, out["findings"]  # nothing redacted or withheld


@pytest.mark.parametrize("variant", VARIANT_IDS)
def test_rendered_workflow_has_no_lints(snakemake_results, variant):
    result = snakemake_results[(variant, "lint")]
    assert result["code"] == 0, result["output"][-4000:]
    assert not any(marker in result["output"] for marker in LINT_FAILURE_MARKERS), result["output"][-4000:]
    assert "Congratulations, your workflow is in a good condition!" in result["output"]


@pytest.mark.parametrize("variant", VARIANT_IDS)
def test_rendered_workflow_dry_runs_on_test_data(snakemake_results, variant):
    result = snakemake_results[(variant, "dryrun")]
    assert result["code"] == 0, result["output"][-4000:]
    assert "This was a dry-run" in result["output"]
    plan_modules = {s.module for s in load_library().plan(*next((r, e) for n, r, e in VARIANTS if n == variant)).steps}
    for module in plan_modules:  # every planned step is a job of the DAG
        assert f"rule {module}:" in result["output"], f"{module} is not in the dry-run DAG"


@pytest.mark.parametrize("recipe", sorted(load_library().recipes))
def test_slurm_profile_is_accepted_by_snakemake(snakemake_results, recipe):
    result = snakemake_results[(f"{recipe}-default", "profile")]
    assert result["code"] == 0, result["output"][-4000:]
    # the profile's `printshellcmds: true` took effect (a plain dry run prints no shell commands)
    assert "Shell command:" in result["output"]
    assert "Shell command:" not in snakemake_results[(f"{recipe}-default", "dryrun")]["output"]


@pytest.mark.skipif(not SNAKEMAKE.exists(), reason="the snakemake executable is not installed next to python")
def test_batch_runner_agrees_with_the_snakemake_executable(tmp_path, snakemake_results):
    library = load_library()
    write_tree(tmp_path, render_workflow(library.plan("rnaseq_de", Entities(organism="human")), library))
    lint = subprocess.run([str(SNAKEMAKE), *CHECKS["lint"]], cwd=tmp_path, capture_output=True, text=True,
                          timeout=300)
    assert lint.returncode == snakemake_results[("rnaseq_de-default", "lint")]["code"] == 0
    assert "Congratulations" in lint.stdout + lint.stderr


def test_lint_catches_a_broken_rule(tmp_path):
    """The lint check is real: a rule without log: is reported, and Snakemake exits non-zero."""
    library = load_library()
    files = render_workflow(library.plan("rnaseq_de", Entities(organism="human")), library)
    rule = files["workflow/rules/multiqc.smk"]
    files["workflow/rules/multiqc.smk"] = rule.replace('    log:\n        "logs/multiqc.log",\n', "").replace(
        " > {log} 2>&1", "")
    write_tree(tmp_path, files)
    result = run_in_subprocess(tmp_path, CHECKS["lint"])
    assert result["code"] != 0
    assert "No log directive defined" in result["output"]


def run_in_subprocess(folder: Path, args: list[str]) -> dict:
    spec = folder / "job.json"
    spec.write_text(json.dumps([{"dir": str(folder), "args": args}]))
    done = subprocess.run([sys.executable, __file__, str(spec)], capture_output=True, text=True, timeout=300,
                          env={**os.environ, "PYTHONPATH": str(REPO)})
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout)[0]


# -- catalogue lint ----------------------------------------------------------------------------------------------

def test_catalogue_lint_is_clean():
    assert lint_catalogue() == []


def test_every_debian_packaged_module_has_an_execution_test():
    from tests.modules.checks import check_paths

    checked = check_paths()
    assert lint_catalogue(execution_tests=True) == []
    assert len(checked) >= 30
    library = load_library()
    assert set(checked) <= set(library.modules)
    untested = [m for m in library.modules.values() if not m.debian]
    assert all(m.no_debian for m in untested)  # each says why it cannot run here


def test_lint_reports_a_module_without_execution_test(catalogue_copy):
    (catalogue_copy / "modules" / "fastp" / "test" / "check.py").unlink()
    problems = lint_catalogue(catalogue_copy, execution_tests=True)
    assert len(problems) == 1 and "fastp runs Debian-packaged tools" in problems[0]


@pytest.fixture()
def catalogue_copy(tmp_path) -> Path:
    shutil.copytree(REPO / "library", tmp_path / "library", ignore=shutil.ignore_patterns("__pycache__"))
    return tmp_path / "library"


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


BREAKAGES = {
    "missing card": (lambda lib: (lib / "modules/fastp/card.md").unlink(), "missing card.md"),
    "missing environment": (lambda lib: (lib / "modules/star_align/environment.yaml").unlink(),
                            "missing environment.yaml"),
    "loose pin": (lambda lib: _edit(lib / "modules/fastp/environment.yaml", "fastp=0.23.4", "fastp>=0.23"),
                  "not pinned as pkg=version"),
    "double-equals pin": (lambda lib: _edit(lib / "modules/multiqc/environment.yaml", "multiqc=1.25.1",
                                            "multiqc==1.25.1"), "not pinned as pkg=version"),
    "env differs from meta": (lambda lib: _edit(lib / "modules/bwa_mem/environment.yaml", "bwa=0.7.18",
                                                "bwa=0.7.17"), "differ from meta.yaml packages"),
    "no log": (lambda lib: _edit(lib / "modules/fastp/rule.smk.j2", "    log:\n", ""), "missing `log:`"),
    "no benchmark": (lambda lib: _edit(lib / "modules/macs3_callpeak/rule.smk.j2", "    benchmark:\n", ""),
                     "missing `benchmark:`"),
    "cache with benchmark": (lambda lib: _edit(lib / "modules/bwa_index/rule.smk.j2", "    cache: True\n",
                                               "    cache: True\n    benchmark:\n        {{ benchmark }}\n"),
                             "cannot have `benchmark:`"),
    "cache off the reference": (lambda lib: _edit(lib / "modules/fastp/rule.smk.j2", "    threads:",
                                                  "    cache: True\n    threads:"), "only reference preparation"),
    "reported folder": (lambda lib: _edit(lib / "modules/bwa_index/meta.yaml", 'path: "resources/bwa_index"}',
                                          'path: "resources/bwa_index", report: "Index"}'), "in the report but is a"),
    "no threads": (lambda lib: _edit(lib / "modules/star_align/rule.smk.j2", "    threads: {{ threads }}\n", ""),
                   "missing `threads:`"),
    "no resources": (lambda lib: _edit(lib / "modules/featurecounts/rule.smk.j2", "    resources:\n", ""),
                     "missing `resources:`"),
    "no conda": (lambda lib: _edit(lib / "modules/multiqc/rule.smk.j2", "    conda:\n", ""), "missing `conda:`"),
    "meta lacks resources": (lambda lib: _edit(lib / "modules/fastqc/meta.yaml",
                                               "resources: {mem_mb: 2000, runtime: 60}\n", ""), "resources"),
    "meta lacks pin source": (lambda lib: _edit(lib / "modules/salmon_quant/meta.yaml", "    pin_source:",
                                                "    x_pin:"), "pin_source"),
    "undeclared port": (lambda lib: _edit(lib / "modules/fastp/rule.smk.j2", "{{ input.r1 }}", "{{ input.reads }}"),
                        "input.reads not declared"),
    "undeclared parameter": (lambda lib: _edit(lib / "modules/fastp/rule.smk.j2", '{{ cfg }}["extra"]',
                                               '{{ cfg }}["adapters"]'), "not declared in meta.yaml"),
    "card without doi": (lambda lib: _edit(lib / "modules/star_align/card.md", "doi: 10.1093/bioinformatics/bts635\n",
                                           ""), "needs a doi"),
    "duplicate card id": (lambda lib: _edit(lib / "modules/hisat2_index/card.md", "id: hisat2_index", "id: star_index"),
                          "also used by"),
}


@pytest.mark.parametrize("breakage", sorted(BREAKAGES))
def test_catalogue_lint_reports_each_problem(catalogue_copy, breakage):
    damage, expected = BREAKAGES[breakage]
    damage(catalogue_copy)
    problems = lint_catalogue(catalogue_copy)
    assert any(expected in p for p in problems), problems


def test_every_recipe_module_and_reference_provider_is_in_the_catalogue():
    library = load_library()
    used = {o.module for r in library.recipes.values() for s in r.steps for o in s.options}
    references = {m.id for m in library.modules.values() if m.scope == "reference"}
    assert used <= set(library.modules)
    assert set(library.modules) == used | references, "modules no recipe or plan can reach"


def test_pins_record_where_they_were_checked():
    for module in load_library().modules.values():
        for package in module.packages:
            assert package.pin_source.strip()
            assert package.version[0].isdigit()


if __name__ == "__main__":  # a batch of Snakemake checks, run by the fixture above in a subprocess
    print(json.dumps(run_batch(json.loads(Path(sys.argv[1]).read_text()))))
