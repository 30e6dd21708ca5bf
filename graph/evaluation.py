"""The intent evaluation harness behind `biopipelines eval`: labelled queries in, accuracy and latency out.

Each JSONL line has `query` and optional labels: `intent`, `analysis_type` (null means "no analysis type"),
`tools` (tools the workflow must contain), `status` (the turn's expected status), `asks`, `not_done`,
`other_asks` and `split` (e.g. dev / holdout). A metric counts only rows that carry its label. The intent node
runs on the profile's tiers exactly as the graph runs it; tool recall uses the planner's plan (or, with --generate,
the whole graph's plan and its validation status). With --generate, a row labelled with a status runs through the
whole graph whatever its intent, and a workflow written for another analysis than the labelled one is counted as
`wrong_analysis`: the worst outcome there is.

Asks. `asks` lists the ids (nodes/offline/data/asks.yaml) of the deliverables the request names, as outputs or as
the goal in domain terms; the assay's name alone names none. `not_done` lists those of them the expected workflow
does not deliver (a `partial` row has at least one; an `unsupported` row lists all its asks, since no workflow is
written). `other_asks` is free text for deliverables that have no ask id (mostly of assays outside the catalogue);
it documents the row and is not scored.

Ask coverage (with --generate) is scored on the rows whose expected status is `validated` or `partial`: there the
workflow exists and each ask is either delivered or said not done. Rows expecting `unsupported` are left out (no
plan, so coverage is moot; the assay decision is scored by the status and analysis-type figures). The unit is the
pair (ask id, covered?): the expected pairs are each labelled ask with covered = not in `not_done`; the predicted
pairs are the graph's plan asks with covered = some step delivers it (none when the graph wrote no workflow).
Precision = right pairs / predicted pairs, recall = right pairs / expected pairs, summed over the rows (micro). A
pair is right only when the ask was read AND its coverage is right, so a missed ask, an invented ask and a covered
ask reported as not done (or the reverse) all count. Extraction precision and recall (ask ids alone, coverage
ignored) are reported beside it, so the two kinds of error can be told apart.
"""

from __future__ import annotations

import json
import math
import re
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any, Callable, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from biopipelines.core.errors import InputError
from biopipelines.core.schemas import AskCoverage, IntentName, IntentResult, WorkflowPlan
from biopipelines.core.yaml_files import one_line

NONE_LABEL = "(none)"  # how a null analysis type shows in the confusion table
# The statuses a field task may expect; `partial` is a workflow that serves the assay but not every ask.
ExpectedStatus = Literal["validated", "partial", "invalid", "refused", "not_a_workflow", "unsupported",
                         "needs_clarification"]
WORKFLOW_STATUSES = frozenset({"validated", "partial", "invalid"})  # a workflow was written
ASK_SCORED_STATUSES = frozenset({"validated", "partial"})  # expected statuses whose rows score ask coverage


class EvalRow(BaseModel):
    model_config = ConfigDict(extra="forbid")

    query: str = Field(min_length=1)
    intent: IntentName | None = None
    analysis_type: str | None = None
    tools: list[str] = Field(default_factory=list)
    status: ExpectedStatus | None = None
    asks: list[str] = Field(default_factory=list, description="ask ids the request names")
    not_done: list[str] = Field(default_factory=list, description="asks the expected workflow does not deliver")
    other_asks: list[str] = Field(default_factory=list, description="deliverables without an ask id (not scored)")
    split: str | None = None

    @model_validator(mode="after")
    def _not_done_are_asks(self) -> "EvalRow":
        extra = sorted(set(self.not_done) - set(self.asks))
        if extra:
            raise ValueError(f"not_done names asks the row does not list: {extra}")
        return self

    @property
    def has_type_label(self) -> bool:
        return "analysis_type" in self.model_fields_set

    @property
    def expected_pairs(self) -> set[tuple[str, bool]]:
        return {(ask, ask not in self.not_done) for ask in self.asks}


class RowOutcome(BaseModel):
    row: EvalRow
    result: IntentResult
    latency_ms: float
    tier: str
    plan_tools: list[str] | None = None  # None: no plan was made
    status: str | None = None  # the graph's status, with --generate
    graph_type: str | None = None  # the analysis type the graph's turn ended with, with --generate
    asks: list[AskCoverage] | None = None  # the plan's asks, with --generate (None: no workflow was written)

    @property
    def predicted_pairs(self) -> set[tuple[str, bool]]:
        return {(a.ask, a.covered) for a in self.asks or []}

    @property
    def wrong_analysis(self) -> bool:
        """A workflow was written, and it is not of the labelled analysis (or none was wanted)."""
        if self.status not in WORKFLOW_STATUSES or self.row.status is None:
            return False
        return self.row.status not in WORKFLOW_STATUSES or self.graph_type != self.row.analysis_type


def load_rows(path: Path, slugs: tuple[str, ...], ask_ids: tuple[str, ...] | None = None) -> list[EvalRow]:
    """Read and check the file; any problem is one InputError naming the file, line and problem.

    `ask_ids`: the known ask ids (default: asks.yaml's); a row naming another is an error."""
    if ask_ids is None:
        from biopipelines.nodes.offline.asks import known_ask_ids

        ask_ids = known_ask_ids()
    if path.is_dir():
        raise InputError(f"{path}: is a directory, not a JSONL file")
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    rows: list[EvalRow] = []
    for number, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = EvalRow.model_validate(json.loads(line))
        except json.JSONDecodeError as exc:
            raise InputError(f"{path}:{number}: not JSON ({exc.msg})") from None
        except ValidationError as exc:
            raise InputError(one_line(f"{path}:{number}", exc)) from None
        if row.analysis_type is not None and row.analysis_type not in slugs:
            raise InputError(f"{path}:{number}: analysis_type: unknown slug {row.analysis_type!r}")
        unknown = [a for a in row.asks if a not in ask_ids]
        if unknown:
            raise InputError(f"{path}:{number}: asks: unknown ask id {unknown[0]!r} (see nodes/offline/data/asks.yaml)")
        rows.append(row)
    if not rows:
        raise InputError(f"{path}: no queries (one JSON object per line, each with a \"query\")")
    return rows


def _norm(tool: str) -> str:
    return re.sub(r"[^a-z0-9]", "", tool.lower())


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100)."""
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


def summarize(outcomes: list[RowOutcome]) -> dict[str, Any]:
    intent_rows = [o for o in outcomes if o.row.intent is not None]
    type_rows = [o for o in outcomes if o.row.has_type_label]
    confusion: dict[str, Counter] = defaultdict(Counter)
    for o in type_rows:
        confusion[o.row.analysis_type or NONE_LABEL][o.result.analysis_type or NONE_LABEL] += 1
    expected_tools = found_tools = 0
    for o in outcomes:
        if o.row.tools:
            have = {_norm(t) for t in o.plan_tools or []}
            expected_tools += len(o.row.tools)
            found_tools += sum(_norm(t) in have for t in o.row.tools)
    latencies = [o.latency_ms for o in outcomes]
    summary: dict[str, Any] = {
        "n": len(outcomes),
        "intent_accuracy": _ratio(sum(o.result.intent == o.row.intent for o in intent_rows), len(intent_rows)),
        "intent_n": len(intent_rows),
        "analysis_type_accuracy": _ratio(sum(o.result.analysis_type == o.row.analysis_type for o in type_rows),
                                         len(type_rows)),
        "analysis_type_n": len(type_rows),
        "tool_recall": _ratio(found_tools, expected_tools),
        "tools_expected": expected_tools,
        "latency_ms": {"p50": round(percentile(latencies, 50), 2), "p90": round(percentile(latencies, 90), 2),
                       "p99": round(percentile(latencies, 99), 2), "max": round(max(latencies), 2)},
        "tiers": dict(Counter(o.tier for o in outcomes)),
        "confusion": {e: dict(c) for e, c in sorted(confusion.items())},
    }
    generated = [o for o in outcomes if o.status is not None]
    if generated:
        statuses = Counter(o.status for o in generated)
        made = sum(statuses[s] for s in WORKFLOW_STATUSES)
        summary["generate"] = {"runs": len(generated), "workflows": made, "validated": statuses["validated"],
                               "validated_rate": _ratio(statuses["validated"], made), "statuses": dict(statuses)}
    labelled = [o for o in generated if o.row.status is not None]
    if labelled:
        summary["fidelity"] = _fidelity(labelled)
    scored = [o for o in labelled if o.row.status in ASK_SCORED_STATUSES]
    if scored:
        summary["asks"] = ask_scores(scored)
    return summary


def ask_scores(outcomes: list[RowOutcome]) -> dict[str, Any]:
    """Ask-coverage precision and recall over (ask, covered?) pairs, and extraction over ask ids (module docstring)."""
    right = predicted = expected = 0
    ids_right = ids_predicted = ids_expected = 0
    for o in outcomes:
        want, got = o.row.expected_pairs, o.predicted_pairs
        right, predicted, expected = right + len(want & got), predicted + len(got), expected + len(want)
        want_ids, got_ids = {a for a, _ in want}, {a for a, _ in got}
        ids_right += len(want_ids & got_ids)
        ids_predicted, ids_expected = ids_predicted + len(got_ids), ids_expected + len(want_ids)
    return {"rows": len(outcomes), "pairs_expected": expected, "pairs_predicted": predicted,
            "coverage_precision": _ratio(right, predicted), "coverage_recall": _ratio(right, expected),
            "extraction_precision": _ratio(ids_right, ids_predicted),
            "extraction_recall": _ratio(ids_right, ids_expected)}


def _fidelity(outcomes: list[RowOutcome]) -> dict[str, Any]:
    """Status accuracy and confusion, and the workflows written for the wrong analysis."""
    confusion: dict[str, Counter] = defaultdict(Counter)
    for o in outcomes:
        confusion[o.row.status or NONE_LABEL][o.status or NONE_LABEL] += 1
    wrong = [o for o in outcomes if o.wrong_analysis]
    return {"n": len(outcomes),
            "status_accuracy": _ratio(sum(o.status == o.row.status for o in outcomes), len(outcomes)),
            "status_confusion": {e: dict(c) for e, c in sorted(confusion.items())},
            "wrong_analysis": len(wrong),
            "wrong_analysis_rows": [{"query": o.row.query, "expected": o.row.analysis_type, "got": o.graph_type,
                                     "status": o.status} for o in wrong]}


def _ratio(num: int, den: int) -> float | None:
    return round(num / den, 4) if den else None


def misses(outcomes: list[RowOutcome]) -> list[dict[str, Any]]:
    out = []
    for o in outcomes:
        wrong_intent = o.row.intent is not None and o.result.intent != o.row.intent
        wrong_type = o.row.has_type_label and o.result.analysis_type != o.row.analysis_type
        wrong_status = o.row.status is not None and o.status is not None and o.status != o.row.status
        wrong_asks = (o.status is not None and o.row.status in ASK_SCORED_STATUSES
                      and o.predicted_pairs != o.row.expected_pairs)
        if wrong_intent or wrong_type or wrong_status or wrong_asks:
            miss = {"query": o.row.query, "split": o.row.split, "expected": [o.row.intent, o.row.analysis_type],
                    "got": [o.result.intent, o.result.analysis_type], "confidence": o.result.confidence}
            if wrong_status:
                miss["status"] = {"expected": o.row.status, "got": o.status}
            if wrong_asks:
                miss["asks"] = {"expected": _pairs(o.row.expected_pairs), "got": _pairs(o.predicted_pairs)}
            out.append(miss)
    return out


def _pairs(pairs: set[tuple[str, bool]]) -> list[str]:
    return sorted(ask + ("" if covered else " (not done)") for ask, covered in pairs)


def report(outcomes: list[RowOutcome]) -> dict[str, Any]:
    """The whole set, then each split on its own (the holdout is the honest figure)."""
    splits = sorted({o.row.split for o in outcomes if o.row.split})
    return {"all": summarize(outcomes),
            "splits": {s: summarize([o for o in outcomes if o.row.split == s]) for s in splits},
            "misses": misses(outcomes)}


class Evaluator:
    """Runs rows through the intent node (and the planner, or the whole graph with generate=True)."""

    def __init__(self, settings: Any, generate: bool = False) -> None:
        from biopipelines.llm.factory import ModelFactory
        from biopipelines.nodes.deps import NodeDeps
        from biopipelines.nodes.intent import IntentNode

        self.deps = NodeDeps(settings=settings, models=ModelFactory(settings))
        self.node = IntentNode(self.deps)
        self.generate = generate
        self._graph = None
        if generate:
            from biopipelines.graph.builder import build_graph

            self._graph = build_graph(deps=self.deps)

    def warm_up(self) -> None:
        """Load the embedder and exemplar index before anything is timed."""
        self.node.read("warm up", plan=None)

    def run(self, rows: list[EvalRow], progress: Callable[[int, int], None] | None = None) -> list[RowOutcome]:
        outcomes = []
        for index, row in enumerate(rows, start=1):
            outcomes.append(self.one(row))
            if progress:
                progress(index, len(rows))
        return outcomes

    def one(self, row: EvalRow) -> RowOutcome:
        # the reading of the query on its own: follow-ups ("use Salmon instead") are judged as modify_workflow
        # here; tying them to a thread's plan is the node's next step, tested through the graph
        started = time.perf_counter()
        served = self.node.read(row.query, plan=None)
        latency = (time.perf_counter() - started) * 1000
        result: IntentResult = served.value
        tier = served.tier
        if self.generate and (result.intent == "generate_workflow" or row.status is not None):
            plan, status, graph_type = self._generated(row.query)
            return RowOutcome(row=row, result=result, latency_ms=latency, tier=tier, status=status,
                              graph_type=graph_type, plan_tools=[s.tool for s in plan.steps] if plan else None,
                              asks=plan.asks if plan else None)
        plan_tools = self._planned_tools(result) if row.tools else None
        return RowOutcome(row=row, result=result, latency_ms=latency, tier=tier, plan_tools=plan_tools)

    def _planned_tools(self, result: IntentResult) -> list[str] | None:
        from biopipelines.library import UnsupportedAnalysis

        if result.intent not in ("generate_workflow", "modify_workflow"):
            return None
        try:
            plan = self.deps.library.plan(result.analysis_type, result.entities)
        except UnsupportedAnalysis:
            return None
        return [s.tool for s in plan.steps]

    def _generated(self, query: str) -> tuple[WorkflowPlan | None, str, str | None]:
        from langchain_core.messages import HumanMessage

        from biopipelines.nodes.state import RunContext

        state = self._graph.invoke({"messages": [HumanMessage(query)]}, context=RunContext())
        status = state.get("status") or "unknown"
        intent = state.get("intent")
        plan = state.get("plan") if status in WORKFLOW_STATUSES else None
        return plan, status, (plan.recipe if plan else intent.analysis_type if intent else None)
