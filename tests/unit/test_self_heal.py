"""The coder <-> validator loop through the whole graph, with a scripted coder and the real validator."""

from langchain_core.messages import HumanMessage

from biopipelines.core.settings import load_settings
from biopipelines.graph import build_graph
from biopipelines.llm.factory import ModelFactory
from biopipelines.nodes.deps import NodeDeps
from biopipelines.nodes.schemas import CodeFiles, FileEdit
from tests.fakes import ScriptedChatModel

REQUEST = "ChIP-seq peak calling for H3K27ac in human cells, paired-end, 2 replicates with input controls"


def graph_with_coder(*script):
    settings = load_settings("offline", env={})
    coder = ScriptedChatModel(script=list(script))
    deps = NodeDeps(settings=settings, models=ModelFactory(settings, injected={"coder": coder}))
    return build_graph(deps=deps), coder, deps


def draft_snakefile(deps) -> str:
    from biopipelines.library.render.snakemake import render_workflow

    graph = build_graph(deps=NodeDeps(settings=deps.settings, models=ModelFactory(deps.settings)))
    state = graph.invoke({"messages": [HumanMessage(REQUEST)]})
    return render_workflow(state["plan"], deps.library)["workflow/Snakefile"]


def test_broken_rule_then_fixed_one_validates_and_errors_reach_the_second_call():
    _, _, deps = graph_with_coder("{}")
    good = draft_snakefile(deps)
    broken = good + "\nrule broken:\n    input: 'a'\n    shell: 'echo (\n"
    graph, coder, _ = graph_with_coder(
        CodeFiles(files=[FileEdit(path="workflow/Snakefile", content=broken)]).model_dump_json(),
        CodeFiles(files=[FileEdit(path="workflow/Snakefile", content=good)]).model_dump_json())
    state = graph.invoke({"messages": [HumanMessage(REQUEST)]})

    assert state["status"] == "validated" and state["attempts"] == 2
    assert len(coder.calls) == 2
    second_prompt = coder.prompt_text(1)
    assert "failed validation" in second_prompt
    assert "SyntaxError" in second_prompt  # the validator's real error, not a canned message
    assert [r.tier for r in state["routes"] if r.node == "coder"] == ["local", "local"]


def test_coder_that_never_fixes_it_ends_invalid_or_in_offline_fallback():
    _, _, deps = graph_with_coder("{}")
    broken = draft_snakefile(deps) + "\nrule broken:\n    input: 'a'\n    shell: 'echo (\n"
    graph, coder, _ = graph_with_coder(CodeFiles(files=[FileEdit(path="workflow/Snakefile", content=broken)])
                                       .model_dump_json())
    state = graph.invoke({"messages": [HumanMessage(REQUEST)]})
    coder_routes = [r for r in state["routes"] if r.node == "coder"]
    # max_attempts 3: two model attempts, then the profile's offline fallback renders from the library
    assert [r.tier for r in coder_routes] == ["local", "local", "offline"]
    assert "failed validation 2 time(s)" in coder_routes[-1].fallback_reason
    assert state["status"] == "validated" and state["attempts"] == 3


def test_without_offline_fallback_the_failure_is_reported_not_hidden():
    _, _, deps = graph_with_coder("{}")
    broken = draft_snakefile(deps) + "\nrule broken:\n    input: 'a'\n    shell: 'echo (\n"
    settings = load_settings("offline", env={}).model_copy(deep=True)
    settings.profile.coder_offline_fallback = False
    coder = ScriptedChatModel(script=[CodeFiles(files=[FileEdit(path="workflow/Snakefile", content=broken)])
                                      .model_dump_json()])
    graph = build_graph(deps=NodeDeps(settings=settings, models=ModelFactory(settings, injected={"coder": coder})))
    state = graph.invoke({"messages": [HumanMessage(REQUEST)]})
    assert state["status"] == "invalid" and state["attempts"] == 3
    assert not all(c.ok for c in state["validation"])
    assert "FAILED" in state["answer"]
