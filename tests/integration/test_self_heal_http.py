"""The self-heal loop with an LLM coder over HTTP (a scripted OpenAI-compatible server) and the real validator."""

from __future__ import annotations

import re

import pytest
import yaml
from langchain_core.messages import HumanMessage

from biopipelines.core.settings import load_settings
from biopipelines.graph import build_graph
from biopipelines.graph.report import build_report
from biopipelines.nodes.schemas import CodeFiles, FileEdit
from tests.integration.fault_server import FaultServer

pytestmark = pytest.mark.integration

REQUEST = "ChIP-seq peak calling for H3K27ac in human cells, paired-end, 2 replicates with input controls"
BROKEN = CodeFiles(files=[FileEdit(path="workflow/Snakefile", content="rule x:\n    oops(\n")],
                   summary="broken on purpose").model_dump_json()


def run(tmp_path, server: FaultServer, *, max_attempts: int, fallback: bool) -> dict:
    endpoint = {"url": server.url("coder"), "model": "served", "structured_output": "json_schema", "timeout_s": 10}
    data = {"name": "http-coder", "max_attempts": max_attempts, "coder_offline_fallback": fallback,
            "roles": {"coder": {"endpoints": [endpoint]}}}
    path = tmp_path / "p.yaml"
    path.write_text(yaml.safe_dump(data))
    settings = load_settings(str(path), env={})
    state = build_graph(settings).invoke({"messages": [HumanMessage(REQUEST)]})
    return build_report(state, settings.profile.name)


@pytest.fixture
def server():
    s = FaultServer()
    s.scripts["coder"] = [BROKEN]
    with s.running():
        yield s


def feedback_of(server: FaultServer, call: int) -> str:
    return "\n".join(str(m.get("content")) for m in server.requests["coder"][call]["messages"])


def test_errors_go_back_to_the_model_then_the_library_renders(tmp_path, server):
    report = run(tmp_path, server, max_attempts=3, fallback=True)
    coder = [r for r in report["routes"] if r["node"] == "coder"]
    assert [r["tier"] for r in coder] == ["local", "local", "offline"]
    assert "failed validation 2 time(s)" in coder[2]["fallback_reason"]
    assert server.hits["coder"] == 2
    assert "failed validation" not in feedback_of(server, 0)
    second = feedback_of(server, 1)
    assert "Your previous attempt (attempt 1) failed validation" in second
    assert re.search(r"^- (static_screen|snakemake_lint|dry_run): \S", second, re.M)  # the validator's own errors
    assert report["status"] == "validated" and report["attempts"] == 3
    assert all(c["ok"] for c in report["validation"])


def test_without_offline_fallback_the_failure_is_reported_as_invalid(tmp_path, server):
    report = run(tmp_path, server, max_attempts=2, fallback=False)
    assert [r["tier"] for r in report["routes"] if r["node"] == "coder"] == ["local", "local"]
    assert report["status"] == "invalid" and report["attempts"] == 2
    assert not all(c["ok"] for c in report["validation"])
    assert report["cost"]["calls"]["local"] == 2 and report["cost"]["local_share"] == 1.0
