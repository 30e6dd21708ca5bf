"""validator: real checks on the coder's files (static screen, `snakemake --lint`, a dry run on `.test`).

The checks are deterministic and always run. When the validator role has a model, it adds a review as one more
check that is informational only: a model never overrides a failing Snakemake check, nor fails a passing one.
"""

from __future__ import annotations

from typing import Any

from langchain_core.messages import HumanMessage, SystemMessage

from biopipelines.graph.schemas import CheckResult
from biopipelines.graph.state import AgentState
from biopipelines.graph.tiers import call_structured, offline_route
from biopipelines.nodes.coder import format_draft
from biopipelines.nodes.common import now, run_context
from biopipelines.nodes.deps import NodeDeps
from biopipelines.nodes.prompts import load_prompt
from biopipelines.nodes.schemas import Review

NODE = "validator"
ROLE = "validator"
REVIEW_PROMPT_CHARS = 8_000
MAX_CONCERNS = 5


def all_passed(checks: list[CheckResult]) -> bool:
    return bool(checks) and all(c.ok for c in checks)


class ValidatorNode:
    def __init__(self, deps: NodeDeps) -> None:
        self.deps = deps

    def __call__(self, state: AgentState, runtime: Any = None) -> dict:
        started = now()
        files, timeout_s = state.get("files", {}), self.deps.settings.profile.validation_timeout_s
        tiers = self.deps.tiers(ROLE, run_context(runtime))
        if not tiers:
            return {"validation": self.deps.validate(files, timeout_s),
                    "routes": [offline_route(NODE, started, state["turn"], "no model configured for role 'validator'")]}
        # The checks (Snakemake subprocesses) and the advisory review (a model call) do not depend on each other:
        # the checks run in a worker thread while the review is in flight, so the node costs the slower of the two.
        pending = self.deps.beside.submit(self.deps.validate, files, timeout_s)
        prompt = [SystemMessage(load_prompt("validator_review")),
                  HumanMessage(format_draft(state["files"], REVIEW_PROMPT_CHARS))]
        served = call_structured(tiers, Review, prompt, offline=Review, role=ROLE, deadline=state.get("deadline"))
        checks = pending.result()
        if served.tier != "offline":
            concerns = "; ".join(served.value.concerns[:MAX_CONCERNS]) or "no concerns"
            checks = checks + [CheckResult(check="llm_review", ok=True, details=f"advisory only: {concerns}")]
        return {"validation": checks, "routes": [served.route(NODE, started, state["turn"])]}
