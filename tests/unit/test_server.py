"""`serve`'s app in process (Starlette's TestClient runs its lifespan): bad input answers one line of JSON with a
4xx, a failure is a 500 with one line, and a thread's turns build on each other through the SQLite checkpointer.
Snakemake's checks are a passing stand-in here; tests/e2e/test_serve.py runs the real server with the real checks."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

from biopipelines.core.errors import ConfigError
from biopipelines.core.schemas import CheckResult
from biopipelines.core.settings import load_settings
from biopipelines.graph.checkpoints import CheckpointerSpec
from biopipelines.graph.cli import main
from biopipelines.graph.server import create_app
from biopipelines.llm.factory import ModelFactory
from biopipelines.nodes.deps import NodeDeps

REQUEST = "Differential expression for 6 paired-end mouse liver samples, 3 knockout vs 3 wild type, STAR and DESeq2"


def passing_validate(files: dict[str, str], timeout_s: float) -> list[CheckResult]:
    return [CheckResult(check="snakemake_lint", ok=True), CheckResult(check="snakemake_dry_run", ok=True)]


def make_app(db):
    settings = load_settings("offline", env={})
    deps = NodeDeps(settings=settings, models=ModelFactory(settings, env={}), validate=passing_validate)
    return create_app(deps=deps, checkpointer=CheckpointerSpec.parse(f"sqlite:{db}"))


@pytest.fixture()
def client(tmp_path):
    with TestClient(make_app(tmp_path / "threads.sqlite"), raise_server_exceptions=False) as c:
        yield c


def one_line_error(response, status: int) -> str:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"} and "\n" not in body["error"] and "Traceback" not in body["error"]
    return body["error"]


def post(client, body: bytes, thread: str = "t1"):
    return client.post(f"/threads/{thread}/turns", content=body, headers={"content-type": "application/json"})


def test_healthz(client):
    body = client.get("/healthz").json()
    assert body["ok"] is True and body["checkpointer"] == "sqlite" and body["profile"] == "offline"


@pytest.mark.parametrize("body, status, words", [
    (b"not json", 400, "not valid JSON"),
    (b'{"message": ""}', 400, "empty"),
    (b'{"message": "   \\u200b "}', 400, "empty"),
    (b'{"msg": "RNA-seq"}', 422, "message: Field required"),
    (b'{"message": 42}', 422, "message"),
    (b'{"message": "RNA-seq", "extra": 1}', 422, "extra"),
    (b'["RNA-seq"]', 422, "body"),
    (json.dumps({"message": "x" * 30_000}).encode(), 400, "limit is 20000"),
    (json.dumps({"message": "x" * 1_000_000}).encode(), 413, "larger than"),
])
def test_bad_turns_answer_one_line_and_a_4xx(client, body, status, words):
    assert words in one_line_error(post(client, body), status)


def test_a_streamed_body_over_the_cap_is_refused_too(client):
    chunks = (b"x" * 65_536 for _ in range(32))  # 2 MiB with no Content-Length: chunked transfer
    response = client.post("/threads/t1/turns", content=chunks, headers={"content-type": "application/json"})
    assert "larger than" in one_line_error(response, 413)


def test_thread_ids_are_checked_and_an_unknown_thread_is_404(client):
    assert "thread_id" in one_line_error(client.get("/threads/-bad"), 422)
    assert "no thread 'never-seen'" in one_line_error(client.get("/threads/never-seen"), 404)


def test_an_uncaught_failure_is_a_500_with_one_line(client):
    async def broken(*args, **kwargs):
        raise RuntimeError("the checkpointer went away\nsecond line that must not show")

    client.app.state.services.graph.ainvoke = broken
    error = one_line_error(post(client, json.dumps({"message": REQUEST}).encode()), 500)
    assert error == "internal error: RuntimeError: the checkpointer went away"


def test_turns_build_on_the_thread_and_survive_a_new_app(tmp_path):
    db = tmp_path / "threads.sqlite"
    with TestClient(make_app(db)) as c:
        first = c.post("/threads/wf/turns", json={"message": REQUEST}).json()
        assert (first["turn"], first["status"], first["changes"]) == (1, "validated", [])
        assert "STAR" in first["tools"] and "workflow/Snakefile" in first["files"]
    with TestClient(make_app(db)) as c:  # a new process's app: the thread comes from the file
        assert c.get("/threads/wf").json()["turns"] == 1
        second = c.post("/threads/wf/turns", json={"message": "use HISAT2 instead"}).json()
        assert second["turn"] == 2 and "HISAT2" in second["tools"] and "STAR" not in second["tools"]
        assert any("HISAT2" in line for line in second["changes"])
        summary = c.get("/threads/wf").json()
        assert (summary["turns"], summary["analysis_type"], summary["tools"]) == (2, "rnaseq_de", second["tools"])


@pytest.mark.parametrize("text", ["sqlite", "sqlite:", "mysql:db", "postgres:", "postgresql:", "postgresql:u:secret@h",
                                  "mysql://u:secret@h/db"])
def test_a_bad_checkpointer_is_a_config_error_that_hides_the_dsn(text):
    with pytest.raises(ConfigError) as caught:
        CheckpointerSpec.parse(text)
    assert "secret" not in str(caught.value)


def test_checkpointer_specs_parse():
    assert CheckpointerSpec.parse("postgres:postgresql://u:pw@h/db") == CheckpointerSpec("postgres",
                                                                                         "postgresql://u:pw@h/db")
    assert CheckpointerSpec.parse("postgres:postgresql://u:pw@h/db").describe() == "postgres"
    for url in ("postgresql://u:pw@h/db", "postgres://u:pw@h/db"):  # a bare URL is a Postgres DSN as it is
        assert CheckpointerSpec.parse(url) == CheckpointerSpec("postgres", url)
    assert CheckpointerSpec.parse("sqlite:/tmp/x.sqlite").describe() == "sqlite:/tmp/x.sqlite"


@pytest.mark.parametrize("argv, words", [
    (["--workers", "0"], "--workers 0"),
    (["--port", "70000"], "--port 70000"),
    (["--checkpointer", "redis:x"], "expected sqlite:PATH or postgres:DSN"),
    (["--checkpointer", "postgres:host=/nonexistent port=1 dbname=x user=u password=hunter2"], "cannot use"),
])
def test_serve_refuses_bad_options_in_one_line(capsys, argv, words):
    assert main(["serve", "--profile", "offline", *argv]) == 2
    err = capsys.readouterr().err
    assert words in err and err.count("\n") == 1 and "hunter2" not in err
