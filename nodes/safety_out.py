"""safety_out: screen what leaves the graph, then close the turn with one assistant message.

- Generated files go through the validator's static screen (destructive or exfiltrating shell, network or
  file-system access from Python, writes outside the workflow); a finding blocks the files.
- Shell in the answer's code blocks gets the same shell screen; a hostile block is withheld.
- Secrets in files or answers are redacted, and the redaction is attached as a warning.
- When the turn touched a dual-use topic and a guard model is configured, the answer is checked with Llama Guard
  3's response format; an unsafe verdict withholds it. A guard that gives no valid verdict leaves the answer as the
  rules left it, and the findings say so.
- The input verdict's notes (what was redacted, which checks decided) are shown with the answer.
"""

from __future__ import annotations

import re
from langchain_core.messages import AIMessage, HumanMessage
from langgraph.runtime import Runtime

from biopipelines.llm.chain import call_text
from biopipelines.llm.served import offline_route
from biopipelines.nodes.common import Memo, NO_RUNTIME, now
from biopipelines.nodes.deps import NodeDeps
from biopipelines.nodes.offline.safety_rules import describe_categories, load_rules, parse_guard_verdict
from biopipelines.nodes.prompts import render_prompt
from biopipelines.nodes.state import AgentState, RunContext

NODE = "safety_out"
ROLE = "safety"
_CODE_BLOCK = re.compile(r"```[^\n]*\n(.*?)(?:```|\Z)", re.DOTALL)


def _redact(rules, text: str) -> tuple:
    redacted, hits = rules.redact(text, "output")
    return rules, redacted, tuple(r.id for r in hits)  # the entry holds `rules`: its id cannot be reused meanwhile


def screen_answer_code(answer: str) -> tuple[str, list[str]]:
    """Withhold fenced code blocks whose shell the static screen rejects; the answer and the findings."""
    from biopipelines.validation.shell_screen import screen_shell, screen_shell_text

    findings: list[str] = []

    def check(match: re.Match) -> str:
        problems = screen_shell(match.group(1), snakemake=False)
        if any(rule == "shell-unparsed" for rule, _ in problems):
            # a block that is not shell (Python, YAML, a Snakefile) is shown to a reader, never run: the pattern scan
            # still withholds the worst idioms in it
            problems = [p for p in problems if p[0] != "shell-unparsed"] + screen_shell_text(match.group(1))
        if not problems:
            return match.group(0)
        findings.extend(f"answer code block: {message} [{rule}]" for rule, message in problems)
        return "```\n[code block withheld by the output screen: " + "; ".join(m for _, m in problems) + "]\n```"

    return _CODE_BLOCK.sub(check, answer), findings


class SafetyOutNode:
    def __init__(self, deps: NodeDeps) -> None:
        self.deps = deps
        # Most generated files are the library's own text, the same every request: each is redacted once per rule set.
        self._redacted = Memo(512)

    def redact_secrets(self, text: str) -> tuple[str, list[str]]:
        """Output-side redaction: secrets only (a generated file legitimately holds dates and numbers)."""
        rules = load_rules()
        _, redacted, ids = self._redacted.get((id(rules), text), lambda: _redact(rules, text))
        return redacted, list(ids)

    def __call__(self, state: AgentState, runtime: Runtime[RunContext] = NO_RUNTIME) -> dict:
        from biopipelines.validation import screen_workflow

        started = now()
        files = dict(state.get("files", {}))
        findings = screen_workflow(files) if files else []
        update: dict = {}
        answer = state.get("answer") or ""
        if findings:
            update = {"status": "refused", "files": {}}
            answer = "The generated workflow was blocked by the output screen: " + "; ".join(findings[:5])
        else:
            for path, content in files.items():
                files[path], secrets = self.redact_secrets(content)
                findings += [f"{path}: redacted {s}" for s in secrets]
            if findings:
                update["files"] = files
        answer, code_findings = screen_answer_code(answer)
        findings += code_findings
        answer, secrets = self.redact_secrets(answer)
        findings += [f"answer: redacted {s}" for s in secrets]

        route = offline_route(NODE, started, state.get("turn", 0), "rule-based output screen")
        if answer and update.get("status", state.get("status")) != "refused" and self._dual_use(state, answer):
            answer, guard_findings, route = self._guard(state, answer, started, runtime)
            findings += guard_findings
            if guard_findings and guard_findings[0].startswith("guard: unsafe"):
                update["status"] = "refused"
                update["files"] = {}
        answer = _with_input_notes(state, answer)
        return {**update, "findings": findings, "answer": answer, "messages": [AIMessage(answer)], "routes": [route]}

    @staticmethod
    def _dual_use(state: AgentState, answer: str) -> bool:
        verdict = state.get("safety")
        flagged = bool(verdict and any(r.startswith("biosecurity.") for r in verdict.reasons))
        return flagged or bool(load_rules().review_matches(answer))

    def _guard(self, state: AgentState, answer: str, started: float, runtime: Runtime[RunContext]):
        tiers = self.deps.tiers(ROLE, runtime.context)
        turn = state.get("turn", 0)
        if not tiers:
            return answer, [], offline_route(NODE, started, turn, "no guard model configured: rules decided")
        prompt = render_prompt("safety_guard_response", request=state.get("request", ""), answer=answer)
        served = call_text(tiers, parse_guard_verdict, [HumanMessage(prompt)], lambda: None, ROLE,
                           deadline=state.get("deadline"))
        route = served.route(NODE, started, turn)
        if served.value is None:
            return answer, ["guard: no valid verdict on the answer; the rule-based screen decided"], route
        safe, categories = served.value
        if safe:
            return answer, [], route
        withheld = ("The answer was withheld: the safety guard flagged it "
                    f"({describe_categories(categories)}).")
        return withheld, [f"guard: unsafe answer ({', '.join(categories)})"], route


def _with_input_notes(state: AgentState, answer: str) -> str:
    """Show what safety_in did to the request (redactions, who decided) above the answer."""
    verdict = state.get("safety")
    if verdict is None or verdict.verdict == "refuse" or not verdict.message:
        return answer
    return f"Note: {verdict.message}\n\n{answer}" if answer else f"Note: {verdict.message}"
