"""Library.plan: a recipe plus the request's entities -> a WorkflowPlan of vetted modules.

Decisions, in order, each recorded in StepChoice.reason or the plan's notes:
1. start from the recipe defaults (or, for a follow-up on the same recipe, from the previous plan's choices);
2. exclusions: `tools_excluded` names a tool (swap to the step's next alternative, or skip an optional step) or a
   step (`step:trimming`, or a bare marker such as `trimming`: skip that optional step). "No trimming" is
   therefore either tools_excluded ["fastp"] or ["step:trimming"]; both skip the trimming step;
3. requests: `tools_requested` names a tool (swap it in) or a step (turn an optional step on); a request wins over
   an exclusion, and asking for two tools for one step is refused, not resolved silently; tools offered as a
   choice ("STAR or HISAT2") are decided before, by library.choices: the first alternative that plans wins;
4. alternatives that make steps unnecessary (Salmon needs no alignment) drop them;
5. reference preparation steps (indexes, .fai, .dict) are added for inputs nothing else provides.
A tool or step the recipe cannot use raises UnsupportedAnalysis naming what it can use; nothing is substituted.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

from biopipelines.core.schemas import Entities, StepChoice, WorkflowPlan
from biopipelines.library.choices import resolve_choices
from biopipelines.library.errors import CatalogueError, UnsupportedAnalysis
from biopipelines.library.matching import normalize, step_marker
from biopipelines.library.models import Layout, ModuleSpec, Recipe, RecipeStep, infers_strandedness
from biopipelines.library.references import ReferenceChoice, choose_reference, snpeff_section
from biopipelines.library.request_config import apply_request
from biopipelines.library.samples import build_samples, clean_name, relayout
from biopipelines.library.step_scope import out_of_scope
from biopipelines.library.view import CatalogueView
from biopipelines.library.wiring import Wiring

REFERENCE_STEP_PREFIX = "ref_"


@dataclass
class Choice:
    module: str | None  # None: the step is off
    reason: str
    explicit: bool = False  # the user asked for this tool in this request


class Planner:
    def __init__(self, library: CatalogueView, recipe: Recipe, entities: Entities, previous: WorkflowPlan | None) -> None:
        self.library = library
        self.recipe = recipe
        self.entities = entities
        self.previous = previous if previous is not None and previous.recipe == recipe.slug else None
        self.notes: list[str] = []
        self.choices: dict[str, Choice] = {}

    # -- helpers -------------------------------------------------------------------------------------------------
    def tool(self, module_id: str) -> str:
        return self.library.module(module_id).tool

    def unsupported(self, message: str) -> UnsupportedAnalysis:
        supported = self.supported_tools()
        return UnsupportedAnalysis(f"{message} The {self.recipe.slug} workflow can use: {'; '.join(supported)}.",
                                   closest=self.recipe.slug, supported=supported)

    def supported_tools(self) -> list[str]:
        return [f"{step.title}: " + " or ".join(self.tool(o.module) for o in step.options)
                + (" (optional)" if step.optional else "") for step in self.recipe.steps]

    def marker_steps(self, marker: str) -> list[RecipeStep]:
        return [s for s in self.recipe.steps if marker in {normalize(m) for m in s.markers}]

    def as_marker(self, name: str) -> str | None:
        """`step:trimming`, or a bare step name that is no tool ("trimming")."""
        marker = step_marker(name)
        if marker is None and not self.library.tool_index.match(name) and self.marker_steps(normalize(name)):
            marker = normalize(name)
        return marker

    # -- 1. starting point ---------------------------------------------------------------------------------------
    def start(self) -> None:
        earlier = {s.step: s for s in self.previous.steps} if self.previous else {}
        for step in self.recipe.steps:
            before = earlier.get(step.id)
            if before is not None and step.option(before.module) is not None:
                self.choices[step.id] = Choice(before.module, before.reason or "kept from the previous plan")
            elif self.previous is not None and step.optional:
                self.choices[step.id] = Choice(None, "off in the previous plan")
            elif step.optional and not step.enabled:
                self.choices[step.id] = Choice(None, "optional, off by default")
            else:
                self.choices[step.id] = Choice(step.default, "recipe default")

    def reference_scope(self) -> None:
        """Steps that do not fit the genome are turned off (library/step_scope.py says why)."""
        name = self.entities.organism or (self.previous.organism if self.previous else None)
        planned = [s for s in self.recipe.steps if self.choices[s.id].module]
        by_default = {s.id for s in planned if self.choices[s.id].reason == "recipe default"}
        organism = self.library.organism(name) if name else None
        for step_id, reason in out_of_scope(planned, by_default, name, organism, self.choose_reference()).items():
            self.choices[step_id] = Choice(None, reason)

    # -- 2. exclusions -------------------------------------------------------------------------------------------
    def exclude(self) -> None:
        excluded_ids = set().union(*(self.library.tool_index.match(n) for n in self.entities.tools_excluded))
        for name in self.entities.tools_excluded:
            marker = self.as_marker(name)
            if marker is not None:
                self.skip_marker(marker)
                continue
            ids = self.library.tool_index.match(name)
            if not ids:
                self.notes.append(f"{name} was excluded; the library has no such tool, so nothing changes.")
                continue
            for step in self.recipe.steps:
                current = self.choices[step.id].module
                if current not in ids:
                    continue
                spare = [o for o in step.options if o.module not in excluded_ids]
                if spare:
                    self.choices[step.id] = Choice(spare[0].module, f"you excluded {self.tool(current)}; "
                                                   f"{self.tool(spare[0].module)} is the alternative")
                elif step.optional:
                    self.choices[step.id] = Choice(None, f"skipped: you excluded {self.tool(current)}")
                elif step.alternatives:
                    tools = " or ".join(self.tool(o.module) for o in step.options)
                    raise self.unsupported(f"{step.title} needs {tools}, and you excluded all of them.")
                else:
                    raise self.unsupported(f"{step.title} needs {self.tool(current)} in this recipe and it has no "
                                           f"alternative, so {name} cannot be excluded.")

    def skip_marker(self, marker: str) -> None:
        steps = self.marker_steps(marker)
        if not steps:
            self.notes.append(f"No {marker} step in this workflow: nothing to skip.")
        for step in steps:
            if not step.optional:
                raise self.unsupported(f"{step.title} cannot be skipped in this recipe.")
            self.choices[step.id] = Choice(None, f"skipped: you asked for no {marker}")

    # -- 3. requests ---------------------------------------------------------------------------------------------
    def request(self) -> list[str]:
        """Apply tools_requested; returns names to check against the final plan (tools run inside other steps)."""
        pending = []
        for name in self.entities.tools_requested:
            marker = self.as_marker(name)
            if marker is not None:
                self.enable_marker(marker)
                continue
            ids = self.library.tool_index.match(name)
            if not ids:
                raise self.unsupported(f"The module library has no tool called {name!r}.")
            chosen = {step_id for step_id, c in self.choices.items() if c.module in ids}
            if chosen:
                for step_id in chosen:
                    choice = self.choices[step_id]
                    if not choice.explicit:
                        self.choices[step_id] = Choice(choice.module, f"you asked for {self.tool(choice.module)}"
                                                       + (" (also the default)" if choice.reason == "recipe default"
                                                          else ""), explicit=True)
                continue
            hits = [(step, option) for step in self.recipe.steps for option in step.options if option.module in ids]
            if not hits:
                pending.append(name)
                continue
            for step, option in hits:
                current = self.choices[step.id]
                if current.explicit and current.module != option.module:
                    raise self.unsupported(f"{step.title} runs one tool: you asked for both "
                                           f"{self.tool(current.module)} and {self.tool(option.module)}.")
                instead = f" instead of {self.tool(current.module)}" if current.module else ""
                self.choices[step.id] = Choice(option.module, f"you asked for {self.tool(option.module)}{instead}"
                                               + (f" ({option.when})" if option.when else ""), explicit=True)
        return pending

    def enable_marker(self, marker: str) -> None:
        steps = self.marker_steps(marker)
        if not steps:
            raise self.unsupported(f"This workflow has no {marker} step.")
        for step in steps:
            if self.choices[step.id].module is None:
                self.choices[step.id] = Choice(step.default, f"you asked for {marker}", explicit=True)

    # -- 4. steps made unnecessary -------------------------------------------------------------------------------
    def apply_drops(self) -> None:
        for step in self.recipe.steps:
            choice = self.choices[step.id]
            option = step.option(choice.module) if choice.module else None
            for dropped_id in option.drops if option else []:
                dropped = self.choices[dropped_id]
                if dropped.explicit and dropped.module:
                    if choice.explicit:
                        raise self.unsupported(
                            f"{self.tool(choice.module)} makes the {self.recipe.step(dropped_id).title.lower()} step "
                            f"unnecessary, so it cannot be combined with {self.tool(dropped.module)}: ask for one "
                            "of them.")
                    self.choices[step.id] = Choice(step.default, f"recipe default: {self.tool(dropped.module)} "
                                                   f"needs it")
                    return self.apply_drops()
                if dropped.module:
                    self.choices[dropped_id] = Choice(None, f"not needed with {self.tool(choice.module)}")
                    self.notes.append(f"No {self.recipe.step(dropped_id).title.lower()} step: "
                                      f"{self.tool(choice.module)} does not need it.")
        return None

    # -- 5. reference preparation --------------------------------------------------------------------------------
    def reference_steps(self, chosen: list[ModuleSpec], layout: Layout) -> list[tuple[ModuleSpec, str]]:
        """Reference modules for inputs nothing provides, ordered so each comes after what it consumes."""
        added: list[tuple[ModuleSpec, str]] = []
        for _ in range(len(self.library.modules)):
            wiring = Wiring([m for m, _ in added] + chosen, self.library.types, layout)
            gaps = wiring.missing()
            if not gaps:
                return self.order_references(added, layout)
            index, port = gaps[0]
            consumer = wiring.modules[index]
            providers = sorted((m for m in self.library.modules.values() if m.scope == "reference"
                                and any(o.type == port.type for o in m.outputs)),
                               key=lambda m: (m.family != consumer.family, m.id))
            if not providers:
                raise CatalogueError(f"no reference module provides {port.type} for {consumer.id}.{port.name}")
            description = self.library.types[port.type].description
            added.append((providers[0], f"reference preparation for {consumer.tool} ({consumer.id}): {description}"))
        raise CatalogueError("reference preparation did not converge")

    def order_references(self, added: list[tuple[ModuleSpec, str]], layout: Layout) -> list[tuple[ModuleSpec, str]]:
        ordered: list[tuple[ModuleSpec, str]] = []
        remaining = list(added)
        while remaining:
            provided = {o.type for m, _ in remaining for o in m.outputs}
            ready = next(((m, r) for m, r in remaining
                          if not any(p.type in provided and all(o.type != p.type for o in m.outputs)
                                     for p in m.inputs_for(layout))), remaining[0])
            ordered.append(ready)
            remaining.remove(ready)
        return ordered

    # -- the plan ------------------------------------------------------------------------------------------------
    def plan(self) -> WorkflowPlan:
        layout = self.layout()
        self.start()
        self.reference_scope()
        self.exclude()
        pending = self.request()
        self.apply_drops()

        chosen = [(self.recipe.step(sid), c) for sid, c in self.choices.items() if c.module]
        modules = [self.library.module(c.module) for _, c in chosen]
        references = self.reference_steps(modules, layout)
        every = [m for m, _ in references] + modules
        for name in pending:
            if not self.library.tool_index.runs(name, every):
                raise self.unsupported(f"{name} is not part of this workflow.")
        for step_id, choice in self.choices.items():
            if choice.module is None and choice.reason.startswith("skipped"):
                self.notes.append(f"{self.recipe.step(step_id).title} skipped ({choice.reason.split(': ', 1)[-1]}).")

        steps = [StepChoice(step=f"{REFERENCE_STEP_PREFIX}{next(o.type for o in m.outputs)}", module=m.id,
                            tool=m.tool, reason=reason) for m, reason in references]
        steps += [StepChoice(step=step.id, module=c.module, tool=self.tool(c.module), reason=c.reason)
                  for step, c in chosen]
        reference = self.choose_reference()
        samples, contrast = self.samples(layout)
        config = self.config(every, layout, reference, contrast)
        apply_request(config, self.entities, self.notes)
        if set(config["reference"]) & set(reference.paths):  # the organism's notes matter only when its files do
            self.notes.extend(reference.notes)
        organism = self.library.organism(reference.organism)
        where = ", ".join(x for x in (organism.name if organism else reference.organism, reference.genome_build) if x)
        return WorkflowPlan(recipe=self.recipe.slug, title=self.recipe.title + (f" ({where})" if where else ""),
                            steps=steps, read_layout=layout, organism=reference.organism,
                            genome_build=reference.genome_build, config=config, samples=samples,
                            notes=list(dict.fromkeys(self.notes)))

    def layout(self) -> Layout:
        """The read layout: as stated, else as before, else paired; an assay with one layout gets that one."""
        entities, allowed = self.entities, self.recipe.layouts
        stated = entities.read_layout or (self.previous.read_layout if self.previous else None)
        if len(allowed) == 1:
            if stated and stated != allowed[0]:
                self.notes.append(f"{self.recipe.title} uses {allowed[0]}-end reads (the {stated}-end layout "
                                  "does not apply to this assay).")
            return allowed[0]
        if not entities.read_layout and not self.previous:
            self.notes.append("Read layout not stated: paired-end assumed (set read_layout and the fq2 column).")
        return stated or "paired"

    def choose_reference(self) -> ReferenceChoice:
        previous = self.previous
        name = self.entities.organism or (previous.organism if previous else None)
        build = self.entities.genome_build or (
            previous.genome_build if previous and name == previous.organism else None)
        return choose_reference(self.library.organism(name), name, build)

    def samples(self, layout: Layout) -> tuple[list[dict], list[str] | None]:
        entities, previous = self.entities, self.previous
        if previous and previous.samples and not (entities.sample_count or entities.input_paths):
            contrast = previous.config.get("de", {}).get("contrast")
            if not entities.conditions:
                return relayout(previous.samples, layout), contrast
            # a follow-up naming two conditions changes the contrast ("change the contrast to treated vs
            # control"): the user's order is numerator vs reference
            levels = list(dict.fromkeys(clean_name(c) for c in entities.conditions))
            if len(levels) == 2 and set(levels) <= {r.get("condition") for r in previous.samples}:
                self.notes.append(f"Contrast changed to {levels[0]} vs {levels[1]}; the sample sheet is kept.")
                return relayout(previous.samples, layout), ["condition", *levels]
            # new condition names: the sheet is rebuilt with them, keeping the number of samples
            self.notes.append(f"Conditions changed to {', '.join(levels)}: the sample sheet was rebuilt with "
                              f"{len(previous.samples)} samples.")
            entities = entities.model_copy(update={"sample_count": len(previous.samples)})
        sheet = build_samples(self.recipe.samples, layout, entities)
        self.notes.extend(sheet.notes)
        return sheet.rows, sheet.contrast

    def config(self, modules: list[ModuleSpec], layout: Layout, reference: ReferenceChoice,
               contrast: list[str] | None) -> dict:
        earlier = self.previous.config if self.previous else {}
        config: dict = {"samples": "config/samples.tsv", "read_layout": layout, "organism": reference.organism,
                        "genome_build": reference.genome_build, "annotation": reference.annotation}
        used_keys = {k for m in modules for k in m.config_keys}
        if "strandedness" in used_keys:
            config["strandedness"] = self.strandedness(infers_strandedness(modules), earlier.get("strandedness"))
        wiring = Wiring(modules, self.library.types, layout)
        keys = {b.config_key: b.port.type for i in range(len(modules)) for b in wiring.bindings(i).values()
                if b.config_key}
        same_build = bool(earlier) and earlier.get("genome_build") == reference.genome_build
        kept_paths = earlier.get("reference", {}) if same_build else {}
        config["reference"] = {}
        for key in sorted(k for k in keys if k[0] == "reference"):
            name = key[1]
            config["reference"][name] = kept_paths.get(name) or reference.paths.get(name) or f"resources/{name}"
            if name not in reference.paths and name not in kept_paths:
                # databases and lists that do not follow from the organism (Kraken2 DB, barcode whitelist ...)
                hint = f". {reference.hints[name]}" if name in reference.hints else ""
                self.notes.append(f"Set reference.{name} in config/config.yaml: "
                                  f"{self.library.types[keys[key]].description}{hint}.")
        if not {"gtf", "transcriptome"} & set(config["reference"]):
            config.pop("annotation")  # no step reads an annotation (variant calling): no GTF line to mislead
        for section, values in self.recipe.config.items():
            if section in used_keys:
                config[section] = {**copy.deepcopy(values), **earlier.get(section, {})}
        if "snpeff" in used_keys:
            config["snpeff"] = snpeff_section(reference, earlier.get("snpeff", {}) if same_build else {}, self.notes)
        if "de" in config:
            config["de"]["contrast"] = contrast or config["de"].get("contrast") or ["condition", "treated", "control"]
        for module in modules:
            if module.params:
                defaults = {name: copy.deepcopy(p.default) for name, p in module.params.items()}
                # values from the previous plan are kept, except those the organism decides when it changed
                organism = {} if same_build else self.organism_params(module, reference)
                # a recipe may tune a shared module for its assay (bowtie2 for CUT&RUN fragments)
                tuned = copy.deepcopy(self.recipe.config.get(module.id, {}))
                config[module.id] = {**defaults, **tuned, **earlier.get(module.id, {}), **organism}
        return config

    def strandedness(self, inferred: bool, earlier: str | None) -> str:
        """config.yaml's strandedness: as stated, else as before, else the assay's usual one, else `auto` where a
        step infers it from the reads (without one, unstranded is assumed); each guess is said in the notes."""
        stated = self.entities.strandedness
        if stated and inferred:
            self.notes.append(f"Strandedness {stated}, as stated; the strandedness step still infers it from the "
                              "reads and flags a disagreement in its table and log.")
        strandedness = stated or (earlier if earlier != "auto" or inferred else None)
        if strandedness is None and self.recipe.strandedness:
            strandedness = self.recipe.strandedness
            self.notes.append(f"Strandedness not stated: {strandedness}, as is usual for "
                              f"{self.recipe.title}; set strandedness in config/config.yaml if yours differs.")
        if strandedness is None and inferred:
            strandedness = "auto"
            self.notes.append("Strandedness not stated: inferred from the aligned reads (strandedness step, "
                              "nf-core/rnaseq's thresholds), and counting uses the call; the run stops if the reads "
                              "do not decide it. Set strandedness in config/config.yaml to override.")
        if strandedness is None:
            strandedness = "unstranded"
            self.notes.append("Strandedness not stated: counted as unstranded. Most dUTP/TruSeq stranded kits "
                              "are 'reverse'; set strandedness in config/config.yaml.")
        return strandedness

    def organism_params(self, module: ModuleSpec, reference: ReferenceChoice) -> dict:
        """Parameter values that follow from the organism and annotation."""
        if module.family == "macs" and reference.macs_gsize:
            return {"gsize": reference.macs_gsize}
        if module.family == "macs":
            self.notes.append(f"MACS3 genome size defaulted to hs (human): set {module.id}.gsize for your organism.")
        if module.id == "salmon_index" and (reference.annotation or "").startswith("GENCODE"):
            return {"extra": "--gencode"}  # GENCODE FASTA headers carry |-separated fields
        return {}


def plan_workflow(library: CatalogueView, analysis_type: str | None, entities: Entities,
                  previous: WorkflowPlan | None = None) -> WorkflowPlan:
    recipe = library.recipe_for(analysis_type)
    if not entities.tool_choices:
        return Planner(library, recipe, entities, previous).plan()
    entities, notes = resolve_choices(library, entities, lambda e: Planner(library, recipe, e, previous).plan())
    plan = Planner(library, recipe, entities, previous).plan()
    return plan.model_copy(update={"notes": notes + plan.notes, "offered": notes})
