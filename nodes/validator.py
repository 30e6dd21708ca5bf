"""validator: real checks on the coder's files (static screen, `snakemake --lint`, a dry run on `.test`).

The checks are deterministic and always run. When the validator role has a model, it adds a review as one more
check that is informational only: a model never overrides a failing Snakemake check, nor fails a passing one.
"""

from __future__ import annotations

from langchain_core.messages import HumanMessage, SystemMessage
from langgraph.runtime import Runtime

from biopipelines.core.schemas import CheckResult
from biopipelines.llm.chain import call_structured
from biopipelines.llm.served import offline_route
from biopipelines.nodes.common import NO_RUNTIME, format_draft, now
from biopipelines.nodes.deps import NodeDeps
from biopipelines.nodes.prompts import load_prompt
from biopipelines.nodes.schemas import Review
from biopipelines.nodes.state import AgentState, RunContext

NODE = "validator"
ROLE = "validator"
REVIEW_PROMPT_CHARS = 8_000
MAX_CONCERNS = 5


class ValidatorNode:
    def __init__(self, deps: NodeDeps) -> None:
        self.deps = deps

    def __call__(self, state: AgentState, runtime: Runtime[RunContext] = NO_RUNTIME) -> dict:
        started = now()
        files, timeout_s = state.get("files", {}), self.deps.settings.profile.validation_timeout_s
        tiers = self.deps.tiers(ROLE, runtime.context)
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
