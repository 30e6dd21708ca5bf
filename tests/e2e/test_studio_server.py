"""`langgraph dev` serves the graph registered in langgraph.json; one thread runs through its HTTP API."""

import os
import shutil
import sys
from pathlib import Path

import pytest
from langgraph_sdk import get_sync_client

from tests.cli import REPO
from tests.servers import free_port, running

pytestmark = pytest.mark.e2e


def langgraph_exe() -> str:
    found = shutil.which("langgraph", path=str(Path(sys.executable).parent))
    if not found:
        raise RuntimeError("langgraph-cli is not installed (pip install -e '.[dev]')")
    return found


def test_langgraph_dev_runs_a_thread_to_a_validated_workflow(tmp_path):
    port = free_port()
    env = {**os.environ, "LANGGRAPH_CLI_NO_ANALYTICS": "1", "LANGGRAPH_NO_VERSION_CHECK": "1",
           "BIOPIPELINES_PROFILE": "offline"}
    cmd = [langgraph_exe(), "dev", "--host", "127.0.0.1", "--port", str(port), "--no-browser", "--no-reload"]
    with running(cmd, f"http://127.0.0.1:{port}/ok", tmp_path / "langgraph_dev.log", timeout_s=180, env=env,
                 cwd=str(REPO)):
        client = get_sync_client(url=f"http://127.0.0.1:{port}")
        assistants = client.assistants.search(graph_id="biopipelines")
        assert assistants, "graph 'biopipelines' is not registered"
        thread = client.threads.create()
        final = client.runs.wait(thread["thread_id"], "biopipelines", input={"messages": [{
            "role": "user", "content": "ChIP-seq peak calling for H3K4me3 in human cells, 2 replicates with input "
                                       "controls, paired-end"}]})
        assert final["status"] == "validated", final.get("answer")
        assert "workflow/Snakefile" in final["files"]
        assert all(check["ok"] for check in final["validation"])
        assert {r["node"] for r in final["routes"]} >= {"safety_in", "intent", "planner", "coder", "validator",
                                                        "docs", "safety_out"}
