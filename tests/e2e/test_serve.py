"""`biopipelines serve --workers 2` as a deployment runs it: two threads take a turn, the server stops and starts
again, and each thread's follow-up builds on its earlier turn. Offline profile (no models), real Snakemake checks,
Postgres from a throwaway cluster (tests/postgres.py) or a SQLite file."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Iterator

import httpx
import pytest

from tests.cli import REPO, biopipelines_exe
from tests.servers import free_port, running

pytestmark = pytest.mark.e2e

REQUEST = "Differential expression for 6 paired-end mouse liver samples, 3 knockout vs 3 wild type, STAR and DESeq2"
QUESTION = "Why DESeq2 rather than edgeR for a small RNA-seq experiment?"
START_TIMEOUT_S = 180
TURN_TIMEOUT_S = 240


@contextlib.contextmanager
def serve(checkpointer: str, log: Path) -> Iterator[httpx.Client]:
    """The real server in its own process group, killed in a finally (tests/servers.running)."""
    port = free_port()
    cmd = [biopipelines_exe(), "serve", "--workers", "2", "--port", str(port), "--checkpointer", checkpointer]
    env = {**os.environ, "BIOPIPELINES_PROFILE": "offline"}
    base = f"http://127.0.0.1:{port}"
    with running(cmd, base + "/healthz", log, timeout_s=START_TIMEOUT_S, env=env, cwd=str(REPO)):
        with httpx.Client(base_url=base, timeout=TURN_TIMEOUT_S) as client:
            yield client


def turn(client: httpx.Client, thread: str, message: str) -> dict:
    response = client.post(f"/threads/{thread}/turns", json={"message": message})
    assert response.status_code == 200, response.text[-2000:]
    return response.json()


@pytest.fixture(params=["postgres", "sqlite"])
def checkpointer(request, tmp_path) -> str:
    if request.param == "postgres":
        return "postgres:" + request.getfixturevalue("postgres_dsn")
    return f"sqlite:{tmp_path / 'threads.sqlite'}"


def test_threads_resume_after_a_restart(checkpointer, tmp_path):
    wf, qa = f"wf-{tmp_path.name}", f"qa-{tmp_path.name}"  # the session's Postgres is shared: unique threads
    with serve(checkpointer, tmp_path / "serve1.log") as client:
        first = turn(client, wf, REQUEST)
        assert (first["turn"], first["status"]) == (1, "validated")
        assert "STAR" in first["tools"] and all(check["ok"] for check in first["validation"])
        asked = turn(client, qa, QUESTION)
        assert asked["turn"] == 1 and asked["intent"] == "explain" and "DESeq2" in asked["answer"]

    with serve(checkpointer, tmp_path / "serve2.log") as client:
        assert client.get(f"/threads/{wf}").json()["turns"] == 1
        assert client.get(f"/threads/{qa}").json()["answer"] == asked["answer"]
        changed = turn(client, wf, "use HISAT2 instead")
        assert (changed["turn"], changed["status"]) == (2, "validated")
        assert "HISAT2" in changed["tools"] and "STAR" not in changed["tools"]
        assert "~ align: STAR -> HISAT2" in changed["changes"]  # the earlier plan, modified
        follow = turn(client, qa, "How many replicates do I need for 80% power?")
        assert follow["turn"] == 2 and follow["answer"] and follow["answer"] != asked["answer"]
        summary = client.get(f"/threads/{qa}").json()
        assert (summary["turns"], summary["answer"]) == (2, follow["answer"])
        assert client.get("/healthz").json()["checkpointer"] == checkpointer.split(":")[0]
