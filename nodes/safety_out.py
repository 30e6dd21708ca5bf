"""safety_out: screen what leaves the graph, then close the turn with one assistant message.

Generated files go through the same static screen the validator uses (destructive or exfiltrating shell, network
or file-system access from Python); a finding blocks the files. Secrets in files or answers are redacted.
"""

from __future__ import annotations

from typing import Any

from langchain_core.messages import AIMessage

from graph.state import AgentState
from graph.tiers import offline_route
from nodes.common import now
from nodes.deps import NodeDeps
from nodes.offline.safety_rules import load_rules

NODE = "safety_out"


def redact_secrets(text: str) -> tuple[str, list[str]]:
    outcome = load_rules().apply(text)
    secrets = [r.id for r in outcome.redacted if r.category == "secret"]
    return (outcome.text if secrets else text), secrets


class SafetyOutNode:
    def __init__(self, deps: NodeDeps) -> None:
        self.deps = deps

    def __call__(self, state: AgentState, runtime: Any = None) -> dict:
        from validation import screen_workflow

        started = now()
        files = dict(state.get("files", {}))
        findings = screen_workflow(files) if files else []
        update: dict = {}
        answer = state.get("answer") or ""
        if findings:
            update = {"status": "refused", "files": {}}
            answer = ("The generated workflow was blocked by the output screen: " + "; ".join(findings[:5]))
        else:
            for path, content in files.items():
                files[path], secrets = redact_secrets(content)
                findings += [f"{path}: redacted {s}" for s in secrets]
            if findings:
                update["files"] = files
        answer, secrets = redact_secrets(answer)
        findings += [f"answer: redacted {s}" for s in secrets]
        route = offline_route(NODE, started, state["turn"], "rule-based output screen")
        return {**update, "findings": findings, "answer": answer, "messages": [AIMessage(answer)], "routes": [route]}
