"""The graphs the benchmarks drive: on instant scripted models, or on the delay server. Snakemake's checks are
replaced by a passing stand-in here (cold_start.py measures the real ones), so the figures are graph + model time."""

from __future__ import annotations

import json
import time
from pathlib import Path

from langchain_core.messages import HumanMessage

from bench._common import passing_validate
from bench.delay_server import ANSWERS, GUARD_TEXT

ROLE_SCHEMA = {"intent": "IntentResult", "planner": "PlanAdvice", "coder": "CodeFiles", "validator": "Review",
               "docs": "DocsOverview", "bio": "ExpertAnswer", "math": "ExpertAnswer"}


def build(profile: Path, *, instant: bool):
    """The compiled graph for `profile`; with `instant`, every role is a scripted model answering at once."""
    from biopipelines.graph.builder import build_graph
    from biopipelines.llm.factory import ModelFactory
    from biopipelines.core.settings import load_settings
    from biopipelines.nodes.deps import NodeDeps
    from tests.fakes import ScriptedChatModel

    settings = load_settings(str(profile), env={})
    injected = None
    if instant:
        injected = {role: ScriptedChatModel(script=[json.dumps(ANSWERS[schema])]) for role, schema in
                    ROLE_SCHEMA.items()}
        injected["safety"] = ScriptedChatModel(script=[GUARD_TEXT])
    models = ModelFactory(settings, injected=injected, env={})
    deps = NodeDeps(settings=settings, models=models, validate=passing_validate)
    return build_graph(deps=deps), deps


def inputs(request: str) -> dict:
    return {"messages": [HumanMessage(request)]}


def run_once(graph, request: str) -> tuple[float, dict]:
    from biopipelines.nodes.state import RunContext

    started = time.perf_counter()
    state = graph.invoke(inputs(request), context=RunContext())
    return time.perf_counter() - started, state


def check_served(state: dict, tier: str) -> None:
    """A benchmark run must have gone where it claims: every model node on `tier`, and a finished workflow."""
    wrong = [f"{r.node}:{r.tier}" for r in state.get("routes", []) if r.tier not in (tier, "offline")]
    if wrong:
        raise RuntimeError(f"nodes served off the {tier} tier: {', '.join(wrong)}")
    if state.get("status") not in ("validated", None) and state.get("expert") is None:
        raise RuntimeError(f"the request ended as {state.get('status')}: {state.get('answer', '')[:200]}")


def client_floor_s(server, runs: int = 20) -> float:
    """What one bare ChatOpenAI call to `server` costs beyond its delay, median of `runs`: the client, loopback
    HTTP and the server's own handling. Every LangChain application pays it on every call; no graph can remove it,
    so the benchmarks report the graph's overhead both with and beyond it."""
    import statistics

    from langchain_openai import ChatOpenAI

    chat = ChatOpenAI(base_url=server.url, api_key="not-needed", model="delay", max_retries=0)
    schema = {"type": "json_schema", "json_schema": {"name": "Review", "schema": {"title": "Review"}}}
    bound = chat.bind(extra_body={"response_format": schema})
    messages = [HumanMessage("Review this workflow.")]
    bound.invoke(messages)  # warm-up: connection
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        bound.invoke(messages)
        times.append(time.perf_counter() - started)
    return max(0.0, statistics.median(times) - server.delay_s)
