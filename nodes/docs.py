"""docs: the generated workflow's README, and the turn's summary answer.

The README is rendered from a template (offline tier). The docs model, when configured, writes only the overview
paragraph; the steps, commands, validation results and citations always come from the plan and the checks.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
import jinja2
from langchain_core.messages import HumanMessage, SystemMessage
from langgraph.runtime import Runtime

from biopipelines.core.schemas import AskCoverage, CheckResult, WorkflowPlan, all_passed
from biopipelines.library.models import StepFacts
from biopipelines.llm.chain import call_structured
from biopipelines.nodes.common import Memo, NO_RUNTIME, now
from biopipelines.nodes.deps import NodeDeps
from biopipelines.nodes.prompts import render_prompt
from biopipelines.nodes.schemas import DocsOverview
from biopipelines.nodes.state import AgentState, RunContext

NODE = "docs"
ROLE = "docs"
TEMPLATES = Path(__file__).resolve().parent / "templates"


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), keep_trailing_newline=True,
                              trim_blocks=False, autoescape=False, undefined=jinja2.StrictUndefined)


def analysis_steps(plan: WorkflowPlan) -> list:
    """The plan's steps in pipeline order, with reference preparation (index builds...) last."""
    return sorted(plan.steps, key=lambda s: s.step.startswith("ref_"))


def offline_overview(plan: WorkflowPlan) -> str:
    tools = ", ".join(dict.fromkeys(s.tool for s in analysis_steps(plan)))
    layout = "paired-end" if plan.read_layout == "paired" else "single-end"
    if _from_assemblies(plan):
        inputs = "one genome assembly per sample"
    elif plan.samples and "fq1" not in plan.samples[0]:
        inputs = "the input files named in config/config.yaml"  # genotypes, not reads
    else:
        inputs = f"{layout} reads"
    return (f"This Snakemake workflow runs {plan.title} on {inputs}, using {tools}. "
            "Every step runs in its own pinned conda environment, every tunable value is in config/config.yaml, "
            "and the SLURM profile in profiles/slurm sets per-rule resources.")


def _from_assemblies(plan: WorkflowPlan) -> bool:
    """The sample sheet lists assemblies (a pan-genome), not reads."""
    return bool(plan.samples) and "assembly" in plan.samples[0]


def check_overview(value: DocsOverview) -> DocsOverview:
    text = value.overview.strip()
    if not 20 <= len(text) <= 2000:
        raise ValueError(f"overview has {len(text)} characters; expected 20 to 2000")
    return value


def render_readme(request: str, plan: WorkflowPlan, overview: str, steps: list[StepFacts], checks: list[CheckResult],
                  attempts: int, layout: list[str], reading: list | None = None) -> str:
    from biopipelines.library.testdata.datasets import RECIPE_DATA

    test_data = RECIPE_DATA.get(plan.recipe)
    return _environment().get_template("workflow_readme.md.j2").render(
        plan=plan, overview=overview.strip(), request=request.replace("\n", " "), steps=steps, checks=checks,
        validated=all_passed(checks), attempts=attempts, layout=layout, reading=reading or [],
        test_data=test_data.description if test_data else None, citations=_citations(steps))


def _citations(steps: list[StepFacts]) -> list[str]:
    """One line per distinct tool, version and paper (several modules of one suite cite the same one)."""
    lines = (f"{s.tool} {s.version}: https://doi.org/{s.doi}" for s in steps if s.doi)
    return list(dict.fromkeys(lines))


def method_notes(plan: WorkflowPlan, library, cards: list | None = None) -> list:
    """The knowledge-base notes cited in the README: about the plan's tools, then its topic (rag.further_reading)."""
    from biopipelines.nodes.library_links.further_reading import further_reading

    return further_reading([s.module for s in plan.steps], library, topic=plan.recipe.split("_")[0], cards=cards)


def summary_answer(plan: WorkflowPlan, validated: bool, attempts: int, checks: list[CheckResult]) -> str:
    tools = " -> ".join(dict.fromkeys(s.tool for s in analysis_steps(plan) if not s.step.startswith("ref_")))
    offered = "".join(f" {sentence}" for sentence in plan.offered)  # the choices the user left open
    if validated:
        return (f"{plan.title}: {tools}. Validated by snakemake --lint and a dry run ({attempts} attempt(s))."
                + offered)
    failed = "; ".join(f"{c.check}: {c.details.splitlines()[0] if c.details else 'failed'}" for c in checks if not c.ok)
    return f"{plan.title}: {tools}. Validation FAILED after {attempts} attempt(s): {failed}" + offered


def not_done(undone: list[AskCoverage]) -> str:
    """The answer's opening when some asks are not delivered: say so first, and how one could add each."""
    if not undone:
        return ""
    items = "; ".join(a.label + (f" (to add it: {a.todo})" if a.todo else "") for a in undone)
    return f"Partial: this workflow does not do everything you asked. Not done: {items}.\n\n"


class DocsNode:
    def __init__(self, deps: NodeDeps) -> None:
        self.deps = deps
        self._facts = Memo(256)  # step -> its README facts: pure, and a YAML parse of the module's card each
        self._reading = Memo(64)  # (modules, topic) -> the notes cited: the same for every request of a recipe

    def step_facts(self, step):
        library = self.deps.library
        return self._facts.get((id(library), step.model_dump_json()), lambda: library.step_facts(step))

    def reading(self, plan: WorkflowPlan) -> list:
        """The README's method notes for the plan's modules (read-only: shared by every request that uses them)."""
        library, cards = self.deps.library, self.deps.knowledge_cards
        key = (id(library), id(cards), tuple(s.module for s in plan.steps), plan.recipe)
        return self._reading.get(key, lambda: method_notes(plan, library, cards))

    def __call__(self, state: AgentState, runtime: Runtime[RunContext] = NO_RUNTIME) -> dict:
        started = now()
        plan: WorkflowPlan = state["plan"]
        checks = state.get("validation", [])
        served = call_structured(
            self.deps.tiers(ROLE, runtime.context), DocsOverview,
            [SystemMessage(render_prompt("docs", plan=plan.model_dump_json(include={"title", "steps", "organism"}))),
             HumanMessage(state["request"])],
            offline=lambda: DocsOverview(overview=offline_overview(plan)), role=ROLE, check=check_overview,
            deadline=state.get("deadline"))
        files = dict(state.get("files", {}))
        steps = [self.step_facts(step) for step in analysis_steps(plan)]
        layout = sorted(p for p in files if not p.startswith(".test/")) + ["README.md", "report.json"]
        files["README.md"] = render_readme(state["request"], plan, served.value.overview, steps, checks,
                                           state.get("attempts", 0), sorted(layout),
                                           self.reading(plan))
        validated = all_passed(checks)
        undone = [a for a in plan.asks if not a.covered]
        status = ("partial" if undone else "validated") if validated else "invalid"
        return {"files": files, "status": status,
                "answer": not_done(undone) + summary_answer(plan, validated, state.get("attempts", 0), checks),
                "routes": [served.route(NODE, started, state["turn"])]}
