"""coder: write the workflow files for the plan.

The offline tier renders the plan from the module library. The LLM tier adapts that draft (or, on a retry, its own
previous files) and gets the validator's real errors as feedback. On the last attempt, when the model's files have
kept failing and the profile allows it, the coder renders from the library instead and says so in the route entry.
"""

from __future__ import annotations

from pathlib import PurePosixPath
from langchain_core.messages import HumanMessage, SystemMessage
from langgraph.runtime import Runtime

from biopipelines.core.schemas import CheckResult
from biopipelines.llm.chain import call_structured
from biopipelines.llm.served import Served
from biopipelines.nodes.common import NO_RUNTIME, format_draft, now
from biopipelines.nodes.deps import NodeDeps
from biopipelines.nodes.prompts import load_prompt, render_prompt
from biopipelines.nodes.schemas import CodeFiles
from biopipelines.nodes.state import AgentState, RunContext

NODE = "coder"
ROLE = "coder"
EDITABLE_ROOTS = ("workflow", "config", "profiles", ".test")


def check_edits(code: CodeFiles) -> CodeFiles:
    for edit in code.files:
        path = PurePosixPath(edit.path)
        if path.is_absolute() or ".." in path.parts or not path.parts or path.parts[0] not in EDITABLE_ROOTS:
            raise ValueError(f"file path {edit.path!r} is outside {', '.join(EDITABLE_ROOTS)}")
    return code


def apply_edits(base: dict[str, str], code: CodeFiles) -> dict[str, str]:
    return {**base, **{edit.path: edit.content for edit in code.files}}


def format_feedback(checks: list[CheckResult], attempt: int) -> str:
    failed = [c for c in checks if not c.ok]
    if not failed:
        return ""
    errors = "\n".join(f"- {c.check}: {c.details}" for c in failed)
    return render_prompt("coder_feedback", attempt=attempt, errors=errors)


class CoderNode:
    def __init__(self, deps: NodeDeps) -> None:
        self.deps = deps

    def __call__(self, state: AgentState, runtime: Runtime[RunContext] = NO_RUNTIME) -> dict:
        started = now()
        attempt = state.get("attempts", 0) + 1
        plan = state["plan"]
        draft = self.deps.draft(plan)
        tiers = self.deps.tiers(ROLE, runtime.context)
        retrying_llm = attempt > 1 and state.get("coder_tier") != "offline"
        last_chance = attempt >= state.get("max_attempts", self.deps.settings.profile.max_attempts)

        if tiers and retrying_llm and last_chance and self.deps.settings.profile.coder_offline_fallback:
            served = Served(CodeFiles(), "offline", "offline", fallback_reason=(
                f"the model's files failed validation {attempt - 1} time(s); rendered from the module library"))
            files = draft
        else:
            base = (state.get("files") or draft) if retrying_llm else draft
            feedback = format_feedback(state.get("validation", []), attempt - 1) if retrying_llm else ""
            task = render_prompt("coder_task", request=state["request"], plan=plan.model_dump_json(),
                                 draft=format_draft(base), feedback=feedback)
            served = call_structured(tiers, CodeFiles, [SystemMessage(load_prompt("coder")), HumanMessage(task)],
                                     offline=CodeFiles, role=ROLE, check=check_edits,
                                     deadline=state.get("deadline"))
            files = apply_edits(base, served.value) if served.tier != "offline" else draft
        return {"files": files, "attempts": attempt, "coder_tier": served.tier,
                "routes": [served.route(NODE, started, state["turn"])]}
