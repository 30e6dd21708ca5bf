"""Render a library workflow onto synthetic data and run it for real: Snakemake with the tools on PATH (no conda).

`run_workflow()` plans and renders exactly what `biopipelines generate` would write (Library.plan + the Snakemake
renderer), points config.yaml at the synthetic reference and the sample sheet at the synthetic reads, tunes the few
parameters a 50 kb genome needs (STAR's suffix-array index size, MACS's genome size), and runs `snakemake --cores 2`.
"""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml

from biopipelines.core.schemas import Entities
from biopipelines.library import load_library, system_tools
from biopipelines.library.render.snakemake import render_workflow
from biopipelines.library.testdata.datasets import SMALL_GENOME

SNAKEMAKE = Path(sys.executable).with_name("snakemake")
SHIMS = Path(__file__).resolve().parent / "bin"
# Parameters for a 50 kb genome and a few thousand reads (the defaults are for human-sized data).
TINY = SMALL_GENOME  # the toy genome's parameters, as `run --test` sets them
SMALL_MEMORY = {"picard_markduplicates": 2000, "gatk_haplotypecaller": 2000, "beagle_phase": 2000, "beagle_impute": 2000}


@dataclass
class Run:
    root: Path
    modules: list[str]
    code: int
    output: str
    config: dict = field(default_factory=dict)

    def path(self, relative: str) -> Path:
        return self.root / relative

    def reference(self, key: str) -> Path:
        """A reference file the workflow was given (config.yaml's reference section)."""
        return Path(self.config["reference"][key])

    def reads(self, sample: str) -> Path:
        """The sample's mate-1 FASTQ from the sample sheet."""
        with (self.root / "config" / "samples.tsv").open() as handle:
            rows = {row["sample"]: row for row in csv.DictReader(handle, delimiter="\t")}
        return Path(rows[sample]["fq1"])


def required_binaries(modules: list[str]) -> list[str]:
    """The Debian binaries the modules' rules call (from each meta.yaml's `debian:` entries)."""
    return system_tools.required_binaries(load_library(), modules)


def missing_binaries(modules: list[str]) -> list[str]:
    return system_tools.missing_binaries(load_library(), modules, f"{SHIMS}{os.pathsep}{os.environ.get('PATH', '')}")


def skip_unless_installed(what: str, modules: list[str], also: tuple[str, ...] = ()) -> None:
    """Skip when a binary that `modules` (or the test itself: `also`) needs is not installed, naming them."""
    missing = missing_binaries(modules) + [b for b in also if shutil.which(b) is None]
    if missing:
        pytest.skip(f"{what} needs binaries that are not installed: {', '.join(dict.fromkeys(missing))}")


def _write(root: Path, files: dict[str, str]) -> None:
    for relative, content in files.items():
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content, encoding="utf-8")


def render(root: Path, recipe: str, entities: Entities) -> list[str]:
    library = load_library()
    plan = library.plan(recipe, entities)
    _write(root, render_workflow(plan, library))
    return [s.module for s in plan.steps]


def rendered_or_skip(name: str, recipe: str, entities: Entities, tmp) -> tuple[Path, list[str], Path]:
    """A family workflow's render in a fresh folder, skipped when a binary it needs is missing, and a data
    folder beside it: (root, modules, data folder)."""
    root = tmp.mktemp(name)
    modules = render(root, recipe, entities)
    skip_unless_installed(name, modules)
    return root, modules, tmp.mktemp(f"{name}_data")


def configure(root: Path, reference: dict[str, Path], rows: list[dict], extra: dict | None = None) -> dict:
    config_path = root / "config" / "config.yaml"
    config = yaml.safe_load(config_path.read_text())
    for key in list(config.get("reference", {})):
        config["reference"][key] = str(reference[key])
    for module, values in {**TINY, **(extra or {})}.items():
        if module in config:
            config[module].update(values)
    config_path.write_text(yaml.safe_dump(config, sort_keys=False))
    with (root / "config" / "samples.tsv").open() as handle:
        columns = next(csv.reader(handle, delimiter="\t"))
    with (root / "config" / "samples.tsv").open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, delimiter="\t", extrasaction="ignore",
                                lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return config


def execute(root: Path, modules: list[str], config: dict, targets: list[str] | None = None,
            allowed: list[str] | None = None, timeout: int = 1500, system_tools_first: bool = False) -> Run:
    """Snakemake on the workflow in `root` (all of it, or `targets`; only `allowed` rules when given). With
    `system_tools_first`, Debian's /usr/bin comes before the test environment's own executables."""
    resources = [f"{m}:mem_mb={mb}" for m, mb in SMALL_MEMORY.items() if m in modules]
    # targets first: --set-resources and --allowed-rules take several values and would swallow them
    args = [str(SNAKEMAKE), "-s", "workflow/Snakefile", *(targets or []), "--cores", "2", "--printshellcmds",
            "--notemp", *(["--set-resources", *resources] if resources else []),
            *(["--allowed-rules", *allowed] if allowed else [])]
    path = [str(SHIMS), *(["/usr/bin"] if system_tools_first else []), os.environ.get("PATH", "")]
    env = {**os.environ, "PATH": os.pathsep.join(path)}
    done = subprocess.run(args, cwd=root, capture_output=True, text=True, timeout=timeout, env=env)
    return Run(root, modules, done.returncode, done.stdout + done.stderr, config)


class RunOnce:
    """Workflows built and run at most once per fixture scope, on first use; a test that needs a run that failed
    fails with the run's report."""

    def __init__(self, build: Callable[[str], Run]) -> None:
        self._build = build
        self._runs: dict[str, Run] = {}

    def __call__(self, name: str) -> Run:
        if name not in self._runs:
            self._runs[name] = self._build(name)
        run = self._runs[name]
        assert run.code == 0, failure_report(run)
        return run

    def check(self, module: str, workflow: str, check: Callable[[Run], None]) -> None:
        """Run `workflow` (the one `module`'s test/check.py names) and check the module's output there."""
        run = self(workflow)
        assert module in run.modules, f"{workflow} does not run {module}"
        check(run)


def failure_report(run: Run) -> str:
    logs = sorted((run.root / "logs").rglob("*.log")) if (run.root / "logs").exists() else []
    tails = "".join(f"\n--- {p.relative_to(run.root)}\n{p.read_text(errors='replace')[-1500:]}" for p in logs)
    return run.output[-5000:] + tails[-8000:]
