"""Pydantic types shared by the state, the nodes' structured output and report.json."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

Tier = Literal["local", "cloud", "offline"]
# partial: a validated workflow of the asked assay that leaves some of the request's asks undone (it says which)
Status = Literal["validated", "partial", "invalid", "refused", "not_a_workflow", "unsupported",
                 "needs_clarification"]
IntentName = Literal[
    "generate_workflow", "modify_workflow", "explain", "statistics", "validate_workflow", "plan_deployment",
    "data_search", "job_management", "troubleshoot", "smalltalk", "unsafe", "unknown",
]


class RouteEntry(BaseModel):
    """Who served one node call, and at what cost."""

    node: str
    tier: Tier
    model: str
    endpoint: str | None = None
    latency_ms: float
    tokens_in: int = 0
    tokens_out: int = 0
    cost_usd: float = 0.0
    fallback_reason: str | None = None
    attempts: int = 0
    turn: int = 0


class SafetyVerdict(BaseModel):
    verdict: Literal["allow", "allow_with_redaction", "refuse"] = "allow"
    reasons: list[str] = Field(default_factory=list, description="Matched rule ids or guard categories")
    message: str = ""
    awaiting_guard: bool = Field(False, description="The rules found dual-use content for the guard model to judge; "
                                                    "input_guard decides it beside intent")


class Entities(BaseModel):
    organism: str | None = None
    genome_build: str | None = None
    read_layout: Literal["paired", "single"] | None = None
    strandedness: Literal["unstranded", "forward", "reverse"] | None = None
    tools_requested: list[str] = Field(default_factory=list)
    tools_excluded: list[str] = Field(default_factory=list)
    tool_choices: list[list[str]] = Field(
        default_factory=list,
        description="Tools offered as alternatives ('Bismark or bwa-meth + MethylDackel'): one list per choice, in "
                    "the user's order, a combination joined by '+' (['bismark', 'bwa_meth+methyldackel']); the "
                    "workflow uses the first the library can run. Not repeated in tools_requested.")
    sample_count: int | None = None
    conditions: list[str] = Field(default_factory=list)
    input_paths: list[str] = Field(default_factory=list)
    accessions: list[str] = Field(default_factory=list)
    # assay details
    histone_mark: str | None = Field(None, description="e.g. H3K27ac, H3K4me3")
    umi: bool | None = Field(None, description="true: the reads carry UMIs; false: the user says they do not")
    chemistry: str | None = Field(None, description="10x chemistry, e.g. 3' v3.1, 5' v2, multiome")
    capture: Literal["exome", "panel"] | None = Field(
        None, description="targeted DNA sequencing: whole exome or a gene panel (variant calling on target intervals)")
    covariates: list[str] = Field(default_factory=list,
                                  description="nuisance factors to model in the design, e.g. ['batch']")
    long_read_platform: Literal["pacbio", "ont_direct_rna", "ont"] | None = Field(
        None, description="long-read platform: pacbio (HiFi, Iso-Seq, Kinnex), ont_direct_rna, ont (cDNA or DNA)")


class IntentResult(BaseModel):
    """The intent node's structured output (both tiers)."""

    intent: IntentName
    analysis_type: str | None = Field(
        None, description="An analysis type slug (library/analysis_types.yaml), or null. The set is open: it names "
                          "assays outside the catalogue too, which the planner answers as unsupported")
    confidence: float = Field(ge=0.0, le=1.0)
    entities: Entities = Field(default_factory=Entities)
    asks: list[str] = Field(default_factory=list,
                            description="Ids of the deliverables the request names (nodes/offline/data/asks.yaml)")
    needs_clarification: bool = False
    clarifying_question: str | None = None


class StepChoice(BaseModel):
    step: str
    module: str
    tool: str
    reason: str = ""


class AskCoverage(BaseModel):
    """One deliverable the request names, and the plan steps that deliver it (none: not done)."""

    ask: str
    label: str
    covered_by: list[str] = Field(default_factory=list)
    todo: str | None = Field(None, description="How the workflow could be extended to deliver it")

    @property
    def covered(self) -> bool:
        return bool(self.covered_by)


class WorkflowPlan(BaseModel):
    """A recipe with its choices made: what the coder renders."""

    recipe: str
    title: str
    steps: list[StepChoice]
    read_layout: Literal["paired", "single"] = "paired"
    organism: str | None = None
    genome_build: str | None = None
    config: dict = Field(default_factory=dict, description="Values written to config/config.yaml")
    samples: list[dict] = Field(default_factory=list, description="Rows of config/samples.tsv")
    notes: list[str] = Field(default_factory=list)
    offered: list[str] = Field(default_factory=list,
                               description="Alternatives the user offered that the plan did not use, as sentences "
                                           "for the answer (library/choices.py); also among notes")
    asks: list[AskCoverage] = Field(default_factory=list, description="The request's deliverables and their steps")


class CheckResult(BaseModel):
    check: str
    ok: bool
    details: str = ""


def all_passed(checks: list[CheckResult]) -> bool:
    """A workflow is validated only when checks ran and every one passed."""
    return bool(checks) and all(c.ok for c in checks)


class Citation(BaseModel):
    card: str
    title: str


class ExpertAnswer(BaseModel):
    """A bio or math expert's answer, grounded in knowledge cards where possible."""

    answer: str
    citations: list[Citation] = Field(default_factory=list)
