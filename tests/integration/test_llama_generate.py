"""One `generate` with every LLM role on a real llama.cpp server (SmolLM2-135M): honest tiers in report.json."""

import json

import pytest

from tests.cli import run_cli

pytestmark = pytest.mark.integration

REQUEST = "Differential expression for 6 paired-end mouse liver samples, 3 knockout vs 3 wild type, STAR and DESeq2"


def test_generate_with_every_role_on_llama_cpp(tmp_path, llama_profile):
    out = tmp_path / "wf"
    result = run_cli("generate", REQUEST, "--out", str(out), "--profile", str(llama_profile), "--json",
                     timeout=1500)
    assert result.returncode in (0, 3), result.stderr.decode()[-2000:]
    report = json.loads(result.stdout)
    assert report == json.loads((out / "report.json").read_text()) | {"created": report["created"]}
    routes = {r["node"]: r for r in report["routes"]}

    # The model really served: at least the roles whose answers are easy to validate came from the local tier.
    local = [r for r in report["routes"] if r["tier"] == "local"]
    assert local, report["routes"]
    for r in local:
        assert r["endpoint"].startswith("http://127.0.0.1:") and r["model"] == "smollm2"
        assert r["tokens_in"] > 0 and r["tokens_out"] > 0

    # Wherever the tiny model's answer was not usable, the offline tier served and the entry says why.
    for r in report["routes"]:
        if r["tier"] == "offline" and r["node"] in ("intent", "planner", "coder", "docs"):
            assert r["fallback_reason"] and "no model configured" not in r["fallback_reason"], r

    # The outcome is honest: validated means every check passed; anything else is reported as invalid.
    checks = [c for c in report["validation"] if c["check"] != "llm_review"]
    assert checks and report["status"] == ("validated" if all(c["ok"] for c in checks) else "invalid")
    assert {"safety_in", "intent", "planner", "coder", "validator", "docs", "safety_out"} <= set(routes)
    assert (out / "workflow" / "Snakefile").is_file()
