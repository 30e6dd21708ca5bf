"""Render a WorkflowPlan as a Snakemake workflow in the workflow-catalog layout.

render_workflow(plan, library) -> {relative path: content}:
  workflow/Snakefile, workflow/rules/common.smk, workflow/rules/<module>.smk, workflow/envs/<module>.yaml,
  workflow/scripts/*, workflow/schemas/*.schema.yaml, config/config.yaml, config/samples.tsv,
  profiles/slurm/config.yaml, the synthetic .test/ dataset, and the catalog's standardized-usage files
  (config/README.md, .snakemake-workflow-catalog.yml, LICENSE, workflow/report/*.rst captions).
Wiring comes from library.wiring (shared with other targets); this module only writes Snakemake syntax.
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING

from biopipelines.core.schemas import WorkflowPlan
from biopipelines.library.errors import CatalogueError
from biopipelines.library.models import ModuleSpec, Port, infers_strandedness
from biopipelines.library.render.catalog_files import (caption_name, caption_rst, catalog_files, config_readme,
                                                       report_category)
from biopipelines.library.render.config_files import config_schema, config_yaml, samples_schema, samples_tsv, test_dataset
from biopipelines.library.render.snakemake_io import input_expr, log_expr, output_expr, py_str, target_expr
from biopipelines.library.wiring import Wiring

if TYPE_CHECKING:
    from biopipelines.library.catalogue import Library

CONFIG_NOTES = "templates/snakemake/config_notes.yaml"  # texts of config/README.md beyond the module metadata


def full_config(plan: WorkflowPlan, modules: list[ModuleSpec]) -> dict:
    """The plan's config with every module parameter present (defaults fill what the plan leaves out)."""
    config = copy.deepcopy(plan.config)
    for module in modules:
        if module.params:
            defaults = {name: copy.deepcopy(p.default) for name, p in module.params.items()}
            config[module.id] = {**defaults, **config.get(module.id, {})}
    return config


def _on_every_sample(module: ModuleSpec, controlled: bool) -> ModuleSpec:
    """The module as a design without controls runs it: its treatment samples are all the samples."""
    if controlled or module.sample_set == "all":
        return module
    return module.model_copy(update={"sample_set": "all"})


class SnakemakeRenderer:
    def __init__(self, plan: WorkflowPlan, library: Library) -> None:
        if plan.recipe not in library.recipes:
            raise CatalogueError(f"plan names unknown recipe {plan.recipe!r}")
        self.plan = plan
        self.library = library
        self.recipe = library.recipes[plan.recipe]
        # a design without controls (ATAC-seq) has no input samples to leave out: a module run on the treatment
        # samples (a peak filter shared with ChIP-seq) runs on every sample there
        self.modules = [_on_every_sample(library.module(step.module), self.recipe.samples.controlled)
                        for step in plan.steps]
        self.paired = plan.read_layout == "paired"
        self.wiring = Wiring(self.modules, library.types, plan.read_layout)
        self.columns = [c for c in self.recipe.samples.columns if self.paired or c != "fq2"]
        # columns the request added to the sheet (a batch covariate) sit after the recipe's design columns
        extra = [c for c in (plan.samples[0] if plan.samples else {}) if c not in self.columns and c != "fq2"]
        for column in extra:
            self.columns.insert(self.columns.index("fq1") if "fq1" in self.columns else len(self.columns), column)

    def rule(self, index: int) -> str:
        module = self.modules[index]
        bindings = self.wiring.bindings(index)
        context = {
            "input": {name: input_expr(b, name) for name, b in bindings.items()},
            "source": {name: b.source for name, b in bindings.items()},
            "output": {p.name: output_expr(p, p.name, self.report(module, p))
                       for p in module.outputs_for(self.plan.read_layout)},
            "log": log_expr(module),
            "benchmark": log_expr(module, "benchmarks", "tsv"),
            "cfg": f"config[{py_str(module.id)}]",
            "threads": module.threads,
            "mem_mb": module.resources.mem_mb,
            "runtime": module.resources.runtime,
            "conda": py_str(f"../envs/{module.id}.yaml"),
            "script": py_str(f"../scripts/{module.script}") if module.script else None,
            "paired": self.paired,
        }
        header = f"# {module.tool}: {module.description}\n"
        return header + self.library.templates.get_template(f"{module.id}/rule.smk.j2").render(context)

    def report(self, module: ModuleSpec, port: Port) -> tuple[str, str] | None:
        """(caption path relative to the rule file, category) of an output the report shows; None otherwise."""
        category = report_category(port, self.library.types)
        return (f"../report/{caption_name(module, port)}.rst", category) if category else None

    def report_files(self) -> dict[str, str]:
        """The captions of the reported outputs, beside the workflow description the Snakefile's report: names."""
        files = catalog_files(self.library.templates, self.plan.title, self.modules)
        for module in self.modules:
            for port in module.outputs_for(self.plan.read_layout):
                if report_category(port, self.library.types):
                    files[f"workflow/report/{caption_name(module, port)}.rst"] = caption_rst(
                        self.library.templates, module, port, self.library.types)
        return files

    def targets(self) -> list[str]:
        """Outputs no other step reads: the workflow's end products (and per-sample reports)."""
        consumed = self.wiring.consumed()
        targets = []
        for module in self.modules:
            if module.scope == "reference":
                continue
            for port in module.outputs_for(self.plan.read_layout):
                if (module.id, port.name) not in consumed and not port.temp:
                    targets.append(target_expr(module, port))
        return targets

    def files(self) -> dict[str, str]:
        templates = self.library.templates
        config = full_config(self.plan, self.modules)
        files = {
            "workflow/Snakefile": templates.get_template("snakemake/Snakefile.j2").render(
                title=self.plan.title, rule_files=[m.id for m in self.modules], targets=self.targets()),
            "workflow/rules/common.smk": templates.get_template("snakemake/common.smk.j2").render(
                design=self.recipe.samples.design, controlled=self.recipe.samples.controlled,
                paired=self.paired),
            "workflow/schemas/config.schema.yaml": config_schema(config, infers_strandedness(self.modules)),
            "workflow/schemas/samples.schema.yaml": samples_schema(self.columns),
            "config/config.yaml": config_yaml(config, self.modules, self.library.types),
            "config/samples.tsv": samples_tsv(self.plan.samples, self.columns),
            "config/README.md": config_readme(templates, self.library.read_text(CONFIG_NOTES), self.plan.title, config,
                                              self.modules, self.library.types, self.columns),
            "profiles/slurm/config.yaml": templates.get_template("snakemake/slurm_profile.yaml.j2").render(
                rules=self.modules),
        }
        for index, module in enumerate(self.modules):
            files[f"workflow/rules/{module.id}.smk"] = self.rule(index)
            files[f"workflow/envs/{module.id}.yaml"] = self.library.read_text(f"modules/{module.id}/environment.yaml")
            if module.script:
                files[f"workflow/scripts/{module.script}"] = self.library.read_text(
                    f"modules/{module.id}/scripts/{module.script}")
        files.update(self.report_files())
        files.update(test_dataset(self.plan, config, self.columns, self.library.types))
        return files


def render_workflow(plan: WorkflowPlan, library: Library) -> dict[str, str]:
    """Relative path -> file content of the Snakemake workflow for the plan (no README or report.json)."""
    return SnakemakeRenderer(plan, library).files()
