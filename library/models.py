"""Pydantic models for the catalogue files: module meta.yaml, recipes, port types, analysis types, organisms.

Every file in the catalogue is parsed into one of these models when the library loads, so a typo in a YAML file
fails loudly at load time (and in the catalogue-lint test) instead of producing a broken workflow later.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

IDENT = re.compile(r"^[a-z][a-z0-9_]*$")
Scope = Literal["per_sample", "aggregate", "reference"]
SampleSet = Literal["all", "treatment"]
Layout = Literal["paired", "single"]
ParamValue = str | int | float | bool | list[str]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _ident(value: str) -> str:
    if not IDENT.match(value):
        raise ValueError(f"{value!r} is not a lowercase identifier ([a-z][a-z0-9_]*)")
    return value


class PortType(Strict):
    """A kind of file that flows between modules (fastq, bam, star_index, qc_log ...)."""

    description: str
    # Where the data comes from when no step in the plan produces it: "samples" (the sample sheet's fq1/fq2
    # columns) or "config:<section>.<key>" (a path the user sets in config.yaml).
    source: str | None = None
    # The empty placeholder the synthetic .test/ dataset gets for a config-sourced type ({sample} in it for a
    # sample-sheet column).
    test_path: str | None = None
    # The sample-sheet column that holds this type's file when the source is "samples" and it is not the reads
    # (a genome assembly per isolate); None: the fq1/fq2 columns.
    column: str | None = None
    # The Snakemake report category of outputs of this type (key figures and tables), None: not in the report.
    report: str | None = None

    @field_validator("source")
    @classmethod
    def _source(cls, value: str | None) -> str | None:
        if value is not None and value != "samples" and not re.match(r"^config:[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)*$", value):
            raise ValueError(f"source {value!r} must be 'samples' or 'config:<section>.<key>'")
        return value

    @property
    def config_key(self) -> tuple[str, ...] | None:
        if not self.source or self.source == "samples":
            return None
        return tuple(self.source.removeprefix("config:").split("."))


class Port(Strict):
    """One typed input or output of a module."""

    name: str
    type: str
    description: str = ""
    mate: Literal[1, 2] | None = None  # fastq mates: mate 2 exists only for paired-end data
    # inputs only
    optional: bool = False  # wired only when a step in the plan produces it; never from config
    collect: bool = False  # every output of this type in the workflow (MultiQC's logs)
    of: Literal["self", "control"] = "self"  # "control": the matched input-control sample's file (ChIP-seq)
    config_fallback: bool = True  # False: must come from a step (e.g. a FASTA that needs its .fai beside it)
    # outputs only
    path: str | None = None
    directory: bool = False
    temp: bool = False
    report: str | None = None  # report category of this output, overriding its type's (variant stats ...)

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        return _ident(value)


class Param(Strict):
    default: ParamValue
    description: str


class Package(Strict):
    name: str
    version: str
    channel: Literal["bioconda", "conda-forge"]
    pin_source: str = Field(min_length=10, description="Where the pin was checked")
    pin_verified: bool

    @property
    def spec(self) -> str:
        return f"{self.name}={self.version}"


class DebianPackage(Strict):
    """The Debian package that provides the tool, for execution tests that run without conda."""

    package: str
    version: str = Field(description="Debian 12 (bookworm) version the execution tests ran")
    binaries: list[str] = Field(min_length=1, description="Executables the rule calls from this package")
    note: str = Field(default="", description="How it differs from the bioconda pin, when it does")


class Resources(Strict):
    mem_mb: int = Field(gt=0)
    runtime: int = Field(gt=0, description="minutes")


class ModuleSpec(Strict):
    """A module's meta.yaml: one tool invocation, rendered as one Snakemake rule."""

    id: str
    tool: str
    description: str
    family: str = Field(description="The tool suite, for forgiving name matching (gatk, samtools ...)")
    aliases: list[str] = Field(default_factory=list)
    also_runs: list[str] = Field(default_factory=list, description="Tools used inside the rule (hisat2 | samtools)")
    scope: Scope
    sample_set: SampleSet = "all"
    packages: list[Package] = Field(min_length=1)
    # empty: the tool is not packaged in Debian, so it has no execution test (the rule is still linted and dry-run)
    debian: list[DebianPackage] = Field(default_factory=list)
    no_debian: str = Field(default="", description="Why `debian` is empty: the tool is not in Debian 12, or "
                           "its Debian build cannot run here (a database to download)")
    inputs: list[Port]
    outputs: list[Port] = Field(min_length=1)
    params: dict[str, Param] = Field(default_factory=dict)
    threads: int = Field(ge=1)
    resources: Resources
    script: str | None = None  # a file in the module's scripts/ folder, run with Snakemake's script: directive
    config_keys: list[str] = Field(default_factory=list, description="Workflow-wide config keys the rule reads")
    requires_one_of: list[list[str]] = Field(default_factory=list, description="Optional inputs of which one is needed")

    @field_validator("id")
    @classmethod
    def _id(cls, value: str) -> str:
        return _ident(value)

    @model_validator(mode="after")
    def _check_ports(self) -> "ModuleSpec":
        for ports in (self.inputs, self.outputs):
            names = [p.name for p in ports]
            if len(names) != len(set(names)):
                raise ValueError(f"module {self.id}: duplicate port names in {names}")
        for port in self.outputs:
            if not port.path:
                raise ValueError(f"module {self.id}: output {port.name} has no path")
            # each module writes under its own folder; reference files that must sit together share one
            roots = ("resources/reference/", f"resources/{self.id}") if self.scope == "reference" else (
                f"results/{self.id}",)
            if not port.path.startswith(roots):
                raise ValueError(f"module {self.id}: output {port.name} must live under {' or '.join(roots)}")
            if ("{sample}" in port.path) != (self.scope == "per_sample"):
                raise ValueError(f"module {self.id}: output {port.name}: only per_sample outputs carry {{sample}}")
        if not self.debian and not self.no_debian:
            raise ValueError(f"module {self.id}: no Debian package listed; say why in no_debian")
        inputs = {p.name for p in self.inputs}
        for group in self.requires_one_of:
            if not set(group) <= inputs:
                raise ValueError(f"module {self.id}: requires_one_of names unknown inputs {group}")
        return self

    @property
    def package(self) -> Package:
        """The main tool's package (the first one)."""
        return self.packages[0]

    def output(self, name: str) -> Port:
        return next(p for p in self.outputs if p.name == name)

    def outputs_for(self, layout: Layout) -> list[Port]:
        return [p for p in self.outputs if layout == "paired" or p.mate != 2]

    def inputs_for(self, layout: Layout) -> list[Port]:
        return [p for p in self.inputs if layout == "paired" or p.mate != 2]


def infers_strandedness(modules: list[ModuleSpec]) -> bool:
    """A step writes the library's strandedness call (type `strandedness`), so config.yaml may leave it `auto`."""
    return any(port.type == "strandedness" for module in modules for port in module.outputs)


class StepOption(Strict):
    module: str
    drops: list[str] = Field(default_factory=list, description="Steps this choice makes unnecessary")
    when: str = ""  # one line: when a user would choose it (shown to the planner model and in reasons)


class RecipeStep(Strict):
    id: str
    title: str
    default: str
    alternatives: list[StepOption] = Field(default_factory=list)
    optional: bool = False
    enabled: bool = True  # for optional steps: on unless the user turns it off
    markers: list[str] = Field(default_factory=list, description="Step names the intent node uses ('trimming')")
    organisms: list[str] = Field(default_factory=list,
                                 description="Organism ids (references.yaml) the step applies to; empty: every "
                                             "organism. Another stated organism skips it, with a note")
    needs: list[Literal["snpeff_db"]] = Field(
        default_factory=list, description="Per-build resources (ReferenceChoice fields) the step needs to be on by "
                                          "default: a build without one leaves it off, with a note, unless asked for")

    @field_validator("id")
    @classmethod
    def _id(cls, value: str) -> str:
        return _ident(value)

    @property
    def options(self) -> list[StepOption]:
        return [StepOption(module=self.default)] + list(self.alternatives)

    def option(self, module: str) -> StepOption | None:
        return next((o for o in self.options if o.module == module), None)


class SampleSheetSpec(Strict):
    # conditions: DE contrasts; chip: ChIP libraries name their input control; tumour_normal: tumour samples name
    # their matched normal in `control`; cohort: samples only; assemblies: one genome assembly (FASTA) per sample
    design: Literal["conditions", "chip", "tumour_normal", "cohort", "assemblies"]
    columns: list[str]

    @property
    def controlled(self) -> bool:
        """Samples may name a control sample (the `control` column) that paired rules read beside them."""
        return self.design in ("chip", "tumour_normal")


class Recipe(Strict):
    slug: str
    title: str
    description: str
    samples: SampleSheetSpec
    # the read layouts the assay produces: 10x and Hi-C are paired by construction, long reads are single files
    layouts: list[Layout] = Field(default_factory=lambda: ["paired", "single"], min_length=1)
    # the assay's usual library strandedness, used when the request does not say (Ribo-seq footprints are sense)
    strandedness: Literal["unstranded", "forward", "reverse"] | None = None
    steps: list[RecipeStep] = Field(min_length=1)
    config: dict = Field(default_factory=dict, description="Recipe-level config sections (e.g. the DE contrast)")

    @model_validator(mode="after")
    def _unique(self) -> "Recipe":
        ids = [s.id for s in self.steps]
        if len(ids) != len(set(ids)):
            raise ValueError(f"recipe {self.slug}: duplicate step ids")
        for step in self.steps:
            unknown = {d for o in step.alternatives for d in o.drops} - set(ids)
            if unknown:
                raise ValueError(f"recipe {self.slug}: step {step.id} drops unknown steps {sorted(unknown)}")
        return self

    def step(self, step_id: str) -> RecipeStep:
        return next(s for s in self.steps if s.id == step_id)


class AnalysisType(Strict):
    slug: str
    title: str
    recipe: str | None = None
    closest: str | None = None  # the nearest recipe to offer when this type has none
    gap: str | None = None  # what `closest` would not do for this analysis (said with the offer)
    keywords: list[str] = Field(default_factory=list)


class Build(Strict):
    name: str
    annotation: str | None = None
    snpeff_db: str | None = Field(default=None, description="the prebuilt SnpEff database of the build (GRCh38.105)")
    notes: str = ""
    blacklist: str | None = Field(default=None, description="The ENCODE blacklist v2 file of this build in "
                                  "github.com/Boyle-Lab/Blacklist lists/ (with how to match contig names); "
                                  "None: no published list")


class Organism(Strict):
    id: str
    name: str
    aliases: list[str] = Field(default_factory=list)
    default_build: str
    builds: list[Build]
    macs_gsize: str = Field(description="MACS3 -g: a shortcut (hs, mm, ce, dm) or an effective genome size")

    def build(self, name: str) -> Build | None:
        wanted = name.lower()
        return next((b for b in self.builds if b.name.lower() == wanted), None)


class StepFacts(BaseModel):
    """What the docs node shows for one planned step."""

    step: str
    module: str
    tool: str
    version: str
    package: str
    reason: str
    doi: str | None = None
    citation: str | None = None


class RegisteredTool(Strict):
    """A tool as requests name it (library/tools.yaml): its spellings, whether case matters, and the analysis
    types it points to."""

    id: str = Field(pattern=r"^[a-z0-9_]+$")
    aliases: list[str] = Field(min_length=1)
    case_sensitive: bool = False
    implies: dict[str, float] = Field(default_factory=dict)
    # ask ids (nodes/offline/data/asks.yaml) this tool delivers: a request naming a tool the library lacks asks for
    # that deliverable ("annotated with VEP"), which the planner reports as not done instead of refusing the plan
    delivers: list[str] = Field(default_factory=list)


class ToolRegistry(Strict):
    tools: list[RegisteredTool]
