"""Threads saved before the state's types moved to core/ name them `biopipelines.graph.schemas`; this name keeps
them loading as the same types (graph/checkpoints.py allows both). New code imports biopipelines.core.schemas."""

from biopipelines.core.schemas import (  # noqa: F401 - re-exported for saved checkpoints only
    AskCoverage, CheckResult, Citation, Entities, ExpertAnswer, IntentResult, RouteEntry, SafetyVerdict, StepChoice,
    WorkflowPlan,
)
