"""analysis: a finished workflow's results -> figures (PNG + SVG) and an HTML report whose narrative quotes the
numbers.

The numbers always come from the offline template of the analysis kind (deterministic, tested against planted
truths). The figures come from the analysis role's chain: its model (local, then cloud) writes plotting code that
runs in the validation sandbox; with no model, or when the code is refused, fails or draws nothing, the template
draws them and the report says why.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Callable, TypedDict

from langchain_core.messages import HumanMessage, SystemMessage
from langgraph.runtime import Runtime

from biopipelines.core.errors import InputError
from biopipelines.llm.chain import call_structured
from biopipelines.nodes.analysis.html_report import write_report
from biopipelines.nodes.analysis.llm_plots import WANTED, describe_inputs, run_script, script_inputs
from biopipelines.nodes.analysis.locate import locate
from biopipelines.nodes.analysis.schemas import Analysis, Figure, PlotCode
from biopipelines.nodes.analysis.templates import template_for
from biopipelines.nodes.common import NO_RUNTIME, now
from biopipelines.nodes.prompts import render_prompt
from biopipelines.nodes.state import RunContext

if TYPE_CHECKING:
    from biopipelines.nodes.deps import NodeDeps

SCRIPT_TIMEOUT_S = 90.0


class AnalysisState(TypedDict, total=False):
    results_dir: str  # the workflow folder (with report.json and results/)
    out_dir: str  # where figures and report.html go (default: <results_dir>/analysis)
    turn: int
    deadline: float


class AnalysisNode:
    node, role = "analysis", "analysis"

    def __init__(self, deps: "NodeDeps") -> None:
        self.deps = deps

    def __call__(self, state: AnalysisState, runtime: Runtime[RunContext] = NO_RUNTIME) -> dict:
        started = now()
        root = Path(state["results_dir"]).expanduser()
        files = locate(root, self.deps.library)
        try:
            analysis, draw = template_for(files)
        except (ValueError, KeyError, OSError) as exc:  # a results file the template cannot read
            raise InputError(f"{root}: cannot read the {files.kind} results ({exc})") from exc
        out = Path(state.get("out_dir") or root / "analysis").expanduser()
        figures_dir = out / "figures"
        inputs = script_inputs(files)
        messages = [SystemMessage(render_prompt("analysis", kind=files.kind, analysis_type=files.analysis_type,
                                                files=describe_inputs(inputs), figures=WANTED[files.kind])),
                    HumanMessage(f"Draw the figures for: {files.title or files.analysis_type}")]
        served = call_structured(self.deps.tiers(self.role, runtime.context), PlotCode, messages,
                                 offline=lambda: None, role=self.role, deadline=state.get("deadline"))
        self._figures(analysis, served.value, served.tier, inputs, figures_dir, draw)
        analysis.report = write_report(analysis, out)
        answer = f"{analysis.summary} Figures and report: {analysis.report}"
        return {"analysis": analysis, "answer": answer,
                "routes": [served.route(self.node, started, state.get("turn", 0))]}

    @staticmethod
    def _figures(analysis: Analysis, code: PlotCode | None, tier: str, inputs: dict[str, Path], folder: Path,
                 draw: Callable[[Path], list[Figure]]) -> None:
        """The model's figures when its code ran clean, else the template's (with the reason in the notes)."""
        if code is not None and tier != "offline":
            outcome = run_script(code.code, inputs, folder, SCRIPT_TIMEOUT_S)
            if not outcome.problem:
                analysis.figures, analysis.tier = outcome.figures, tier
                if code.notes:
                    analysis.notes.append(f"Figures drawn by the {tier} analysis model: {code.notes[:300]}")
                return
            analysis.notes.append(f"{outcome.problem}; the offline template drew the figures instead.")
        analysis.figures = draw(folder)


def analyze(deps: "NodeDeps", results_dir: Path, out_dir: Path | None = None,
            context: RunContext | None = None) -> dict:
    """Run the node outside a graph (the CLI and the REPL)."""
    state: AnalysisState = {"results_dir": str(results_dir), "turn": 0, "deadline": deps.deadline(context)}
    if out_dir is not None:
        state["out_dir"] = str(out_dir)
    return AnalysisNode(deps)(state, Runtime(context=context) if context is not None else NO_RUNTIME)


__all__ = ["AnalysisNode", "AnalysisState", "analyze"]
