"""The self-heal loop with the real tiny model as the coder: SmolLM2-135M on llama.cpp receives the validator's
real Snakemake errors and answers them, and report.json tells honestly how the turn ended.

SmolLM2-135M, asked to adapt a valid library draft, answers with no edits, so its first draft always validates and
the loop would never run. Asked to fix a broken one, it may answer with edits the coder refuses (a file outside the
workflow folders, say): the route entry then names that, and the offline tier serves the attempt. The coder endpoint is therefore a recording proxy whose first answer is scripted: a
Snakefile with a syntax error. Every later coder call goes through to SmolLM2 itself, and the proxy keeps the
prompts, so the test reads what the model was told.
"""

from __future__ import annotations

import pytest
import yaml
from langchain_core.messages import HumanMessage

from biopipelines.core.settings import load_settings
from biopipelines.graph import build_graph
from biopipelines.graph.report import build_report
from biopipelines.nodes.schemas import CodeFiles, FileEdit
from tests.integration.fault_server import FaultServer

pytestmark = pytest.mark.integration

REQUEST = "Build consensus genomes for 4 SARS-CoV-2 paired-end samples with bcftools"
BROKEN = CodeFiles(files=[FileEdit(path="workflow/Snakefile", content="rule all:\n    input:\n        oops(\n")],
                   summary="a first draft with a syntax error").model_dump_json()


@pytest.fixture
def coder_proxy(llama_url):
    proxy = FaultServer()
    proxy.upstream = llama_url
    proxy.scripts["coder"] = [BROKEN]
    proxy.set("coder", "proxy")
    with proxy.running():
        yield proxy


def test_smollm_coder_gets_the_validator_errors_and_the_outcome_is_honest(tmp_path, coder_proxy):
    endpoint = {"url": coder_proxy.url("coder"), "model": "smollm2", "structured_output": "json_object",
                "max_tokens": 512, "timeout_s": 900}
    profile = {"name": "smollm-coder", "max_attempts": 3, "coder_offline_fallback": True,
               "time_budget_s": 2400, "offline_reserve_s": 300, "routing": {"open_on_timeout": False},
               "roles": {"coder": {"endpoints": [endpoint]}}}
    path = tmp_path / "smollm_coder.yaml"
    path.write_text(yaml.safe_dump(profile))
    settings = load_settings(str(path), env={})
    state = build_graph(settings).invoke({"messages": [HumanMessage(REQUEST)]})
    report = build_report(state, settings.profile.name)

    prompts = [body["messages"][-1]["content"] for body in coder_proxy.requests["coder"]]
    coder = [r for r in report["routes"] if r["node"] == "coder"]
    assert len(prompts) >= 2 and len(coder) >= 2
    # The second call went to SmolLM2 with the real Snakemake error of the scripted first draft in its prompt.
    assert "SyntaxError" in prompts[1] and "workflow/Snakefile" in prompts[1]
    second = coder[1]
    if second["tier"] == "local":  # its edits were applied and went back through the validator
        assert second["model"] == "smollm2" and second["tokens_in"] > 1000 and second["tokens_out"] > 0
    else:  # it answered, but the answer was unusable: the route says so, and the library's draft served instead
        reason = second["fallback_reason"] or ""
        assert "smollm2 at" in reason and ("rejected answer" in reason or "malformed answer" in reason), reason

    # The outcome is honest: each coder attempt has a route entry, and validated means every check passed.
    assert report["attempts"] == len(coder)
    checks = [c for c in report["validation"] if c["check"] != "llm_review"]
    assert report["status"] == ("validated" if all(c["ok"] for c in checks) else "invalid")
    if coder[-1]["tier"] == "offline":  # the library's draft served the last attempt, and the entry says why
        assert coder[-1]["fallback_reason"] and report["status"] == "validated"
        if len(coder) == profile["max_attempts"] and "smollm2 at" not in coder[-1]["fallback_reason"]:
            assert "rendered from the module library" in coder[-1]["fallback_reason"]
