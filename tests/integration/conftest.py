"""Integration fixtures: a real llama.cpp server with SmolLM2-135M-Instruct on loopback, shared by the module."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tests.servers import llama_server

LLM_ROLES = ("intent", "planner", "coder", "validator", "math", "bio", "docs", "safety")


@pytest.fixture(scope="session")
def llama_url(tmp_path_factory) -> str:
    with llama_server(tmp_path_factory.mktemp("llama")) as url:
        yield url


def write_profile(path: Path, url: str, *, max_tokens: int = 256, method: str = "function_calling") -> Path:
    endpoint = {"url": url, "model": "smollm2", "structured_output": method, "max_tokens": max_tokens,
                "timeout_s": 180}
    # One slow CPU server: a long coder prompt may time out while short calls still answer, so a timeout counts
    # as one failure rather than opening the breaker at once.
    # Its time budget is wide: every role shares two CPU cores, so a turn takes minutes, not seconds.
    profile = {"name": "llama-local", "description": "every role on one llama.cpp server", "allow_cloud": False,
               "max_attempts": 2, "time_budget_s": 1500, "offline_reserve_s": 300,
               "routing": {"open_on_timeout": False},
               "roles": {role: {"model_id": "HuggingFaceTB/SmolLM2-135M-Instruct", "endpoints": [endpoint]}
                         for role in LLM_ROLES}}
    path.write_text(yaml.safe_dump(profile, sort_keys=False))
    return path


@pytest.fixture
def llama_profile(tmp_path, llama_url) -> Path:
    return write_profile(tmp_path / "llama.yaml", llama_url)
