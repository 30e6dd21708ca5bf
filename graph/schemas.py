"""Threads saved before the state's types moved to core/ name them `biopipelines.graph.schemas`; this name keeps
them loading as the same types (graph/checkpoints.py allows both). New code imports biopipelines.core.schemas."""

from biopipelines.core.schemas import (
    AskCoverage, CheckResult, Citation, Entities, ExpertAnswer, IntentResult, RouteEntry, SafetyVerdict, StepChoice,
    WorkflowPlan,
)

__all__ = ["AskCoverage", "CheckResult", "Citation", "Entities", "ExpertAnswer", "IntentResult", "RouteEntry",
           "SafetyVerdict", "StepChoice", "WorkflowPlan"]
