"""`--endpoint` on a vLLM profile: a server that accepts and never answers, and `doctor` against the fault server."""

from __future__ import annotations

import json
import os

import pytest
import yaml

from biopipelines.core.settings import PROFILES_DIR
from tests.cli import run_cli
from tests.integration.fault_server import FaultServer, refused_url

pytestmark = pytest.mark.integration

REQUEST = "Differential expression for 6 paired-end mouse liver samples, 3 knockout vs 3 wild type, STAR and DESeq2"
TIMEOUT_S = 2.0
BUDGET_S = 120.0
NO_CLOUD_KEYS = {"DEEPSEEK_API_KEY": "", "OPENAI_API_KEY": ""}


@pytest.fixture(scope="module")
def fault():
    server = FaultServer()
    with server.running():
        yield server


def vllm_profile(tmp_path) -> str:
    """The shipped 1xH100 + 2xT4 vLLM profile, with short per-endpoint timeouts so the test stays short."""
    data = yaml.safe_load((PROFILES_DIR / "h100_2xt4.yaml").read_text())
    data["time_budget_s"] = BUDGET_S
    for role in data["roles"].values():
        for ep in role.get("endpoints", []):
            ep.update(timeout_s=TIMEOUT_S, connect_timeout_s=1.0)
    path = tmp_path / "h100_2xt4_short.yaml"
    path.write_text(yaml.safe_dump(data))
    return str(path)


def test_generate_against_a_server_that_never_answers(tmp_path, fault):
    out = tmp_path / "wf"
    # The subprocess timeout is the profile's budget: a hang fails the test instead of stalling the suite.
    result = run_cli("generate", REQUEST, "--out", str(out), "--profile", vllm_profile(tmp_path), "--json",
                     "--endpoint", f"*={fault.url('hang')}", env=NO_CLOUD_KEYS, timeout=BUDGET_S)
    assert result.returncode in (0, 3), result.stderr.decode()[-2000:]
    report = json.loads(result.stdout)
    # safety_in asks its guard model only about ambiguous requests; this one is decided by rules
    model_nodes = [r for r in report["routes"] if r["node"] in ("intent", "planner", "coder", "validator", "docs")]
    assert {r["node"] for r in model_nodes} >= {"intent", "planner", "coder", "validator", "docs"}
    for r in report["routes"]:
        assert r["tier"] == "offline", r
    for r in model_nodes:
        reason = r["fallback_reason"] or ""
        assert fault.url("hang") in reason and ("Timeout" in reason or "in cooldown" in reason), r
    # The first call spent its timeout; the breaker then skipped the hung server for every later node.
    assert "Timeout" in model_nodes[0]["fallback_reason"]
    assert all("in cooldown" in r["fallback_reason"] for r in model_nodes[1:])
    assert fault.hits["hang"] == 1
    assert report["cost"]["calls"]["offline"] == len(report["routes"]) and report["cost"]["local_share"] is None


def test_generate_on_the_shipped_profile_when_every_endpoint_refuses(tmp_path):
    """The shipped profile as it is, with nothing listening: every model node says why the offline tier served."""
    result = run_cli("generate", "ChIP-seq peak calling for H3K27ac in human, paired-end, with input controls",
                     "--out", str(tmp_path / "wf"), "--profile", "h100_2xt4", "--json",
                     "--endpoint", f"*={refused_url()}", env=NO_CLOUD_KEYS, timeout=BUDGET_S)
    assert result.returncode == 0, result.stderr.decode()[-2000:]
    report = json.loads(result.stdout)
    assert report["status"] == "validated"
    model_nodes = [r for r in report["routes"] if r["node"] in ("intent", "planner", "coder", "validator", "docs")]
    assert {r["node"] for r in model_nodes} >= {"intent", "planner", "coder", "validator", "docs"}
    assert all(r["tier"] == "offline" for r in report["routes"])
    for r in model_nodes:
        assert "refused" in r["fallback_reason"].lower(), r


def test_the_time_budget_cuts_off_a_server_that_never_answers(tmp_path, fault):
    """Endpoint timeouts longer than the whole budget: only the turn's deadline can end the wait."""
    data = yaml.safe_load((PROFILES_DIR / "h100_2xt4.yaml").read_text())
    data.update(time_budget_s=90.0, offline_reserve_s=60.0)  # models get 30 s; imports and validation the rest
    for role in data["roles"].values():
        for ep in role.get("endpoints", []):
            ep.update(timeout_s=600.0, connect_timeout_s=1.0)
    profile = tmp_path / "long_timeouts.yaml"
    profile.write_text(yaml.safe_dump(data))
    result = run_cli("generate", REQUEST, "--out", str(tmp_path / "wf"), "--profile", str(profile), "--json",
                     "--endpoint", f"*={fault.url('hang')}", env=NO_CLOUD_KEYS, timeout=data["time_budget_s"])
    assert result.returncode in (0, 3), result.stderr.decode()[-2000:]
    report = json.loads(result.stdout)
    model_nodes = [r for r in report["routes"] if r["node"] in ("intent", "planner", "coder", "validator", "docs")]
    assert model_nodes and all(r["tier"] == "offline" for r in report["routes"])
    # the first call waited out the model time, every later one was passed over without a connection
    assert all("time budget spent" in r["fallback_reason"] for r in model_nodes), model_nodes
    assert all("ago" in r["fallback_reason"] for r in model_nodes[1:])
    assert report["status"] == "validated"


def test_doctor_with_endpoint_override(fault):
    ok = run_cli("doctor", "--json", "--endpoint", f"intent={fault.url('ok')}#served")
    assert ok.returncode == 0, ok.stderr.decode()
    intent = next(r for r in json.loads(ok.stdout)["roles"] if r["role"] == "intent")
    assert intent["endpoints"][0]["healthy"] is True and intent["endpoints"][0]["latency_ms"] is not None

    wrong = run_cli("doctor", "--json", "--endpoint", f"intent={fault.url('wrong_model')}#served")
    report = json.loads(wrong.stdout)
    assert wrong.returncode == 1 and report["unhealthy_roles"] == ["intent"]
    detail = report["roles"][0]["endpoints"][0]["detail"]
    assert "some-other-model" in detail and "'served'" in detail

    down = run_cli("doctor", "--endpoint", f"*={fault.url('r500')}#served", "--timeout", "2")
    assert down.returncode == 1 and "HTTP 500" in down.stdout.decode() and "no healthy model tier" in \
        down.stdout.decode()


def test_bad_endpoint_override_is_one_line_error():
    result = run_cli("generate", "x", "--out", "/tmp/unused-bp", "--endpoint", "coder=not-a-url")
    err = result.stderr.decode().strip()
    assert result.returncode == 2 and len(err.splitlines()) == 1 and "http://" in err
    assert os.path.exists("/tmp/unused-bp") is False
